package io.portcullis.gateway;

import io.portcullis.contracts.ConfigValues;
import io.vertx.core.json.JsonObject;

/**
 * Typed configuration of the edge (config key {@code edge}), parsed and checked once at start.
 *
 * @param host address of the plaintext tenant listener
 * @param port its port
 * @param maxInitialLineBytes longest request line accepted (414 beyond)
 * @param maxHeaderBytes largest request head accepted (431 beyond)
 * @param backendConnectTimeoutMs how long connecting to a backend may take before the call gets 503
 * @param maxIdleBackendConnections idle keep-alive connections kept per backend host and event loop
 * @param routeCacheMs how long the edge reuses the registry's routing answer
 * @param identityCacheMs how long the edge reuses the auth verticle's answer for one credential
 * @param busTimeoutMs send timeout of event-bus requests on the request path
 */
public record GatewayConfig(
    String host,
    int port,
    int maxInitialLineBytes,
    int maxHeaderBytes,
    int backendConnectTimeoutMs,
    int maxIdleBackendConnections,
    long routeCacheMs,
    long identityCacheMs,
    long busTimeoutMs) {

  public static GatewayConfig fromJson(JsonObject json) {
    GatewayConfig c = new GatewayConfig(
        ConfigValues.string(json, "edge", "host", "127.0.0.1"),
        ConfigValues.integer(json, "edge", "port", 2375),
        ConfigValues.integer(json, "edge", "maxInitialLineBytes", 65536),
        ConfigValues.integer(json, "edge", "maxHeaderBytes", 65536),
        ConfigValues.integer(json, "edge", "backendConnectTimeoutMs", 5000),
        ConfigValues.integer(json, "edge", "maxIdleBackendConnections", 32),
        ConfigValues.longValue(json, "edge", "routeCacheMs", 1000L),
        ConfigValues.longValue(json, "edge", "identityCacheMs", 1000L),
        ConfigValues.longValue(json, "edge", "busTimeoutMs", 2000L));
    c.validate();
    return c;
  }

  private void validate() {
    require(port >= 0 && port <= 65535, "edge.port", port);
    require(maxInitialLineBytes >= 1024, "edge.maxInitialLineBytes", maxInitialLineBytes);
    require(maxHeaderBytes >= 1024, "edge.maxHeaderBytes", maxHeaderBytes);
    require(backendConnectTimeoutMs > 0, "edge.backendConnectTimeoutMs", backendConnectTimeoutMs);
    require(maxIdleBackendConnections >= 0, "edge.maxIdleBackendConnections", maxIdleBackendConnections);
    require(routeCacheMs >= 0, "edge.routeCacheMs", routeCacheMs);
    require(identityCacheMs >= 0, "edge.identityCacheMs", identityCacheMs);
    require(busTimeoutMs > 0, "edge.busTimeoutMs", busTimeoutMs);
  }

  private static void require(boolean ok, String key, Object value) {
    if (!ok) {
      throw new IllegalArgumentException("invalid configuration " + key + ": " + value);
    }
  }
}
