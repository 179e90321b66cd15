package io.portcullis.gateway;

import io.portcullis.contracts.ConfigValues;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Typed configuration of the edge (config key {@code edge}), parsed and checked once at start.
 *
 * @param tlsHost address of the tenants' mutual-TLS listener
 * @param tlsPort its port (-1: no TLS listener)
 * @param tlsCertPath PEM server certificate (chain) the listener presents
 * @param tlsKeyPath PEM private key of that certificate
 * @param tlsProtocols TLS versions offered (TLSv1.3 only by default: see README on half-close)
 * @param tlsHandshakeTimeoutMs how long a TLS handshake may take
 * @param plaintextHost address of the plaintext listener; loopback only unless forced
 * @param plaintextPort its port (-1: no plaintext listener, the default)
 * @param plaintextAllowNonLoopback force a plaintext listener on a non-loopback address
 * @param maxInitialLineBytes longest request line accepted (414 beyond)
 * @param maxHeaderBytes largest request head accepted (431 beyond)
 * @param backendConnectTimeoutMs how long connecting to a backend may take before the call gets 503
 * @param maxIdleBackendConnections idle keep-alive connections kept per backend host and event loop
 * @param routeCacheMs how long the edge reuses the registry's routing answer
 * @param identityCacheMs how long the edge reuses the auth verticle's answer for one credential
 * @param busTimeoutMs send timeout of event-bus requests on the request path
 * @param shutdownGraceMs on shutdown, how long open connections (sessions, streams) may go on after
 *     the listeners stopped accepting; what is still open then is closed
 * @param backendResponseTimeoutMs how long a backend may take to answer the head of a plain call once the
 *     request is entirely sent (504 beyond; 0: no limit); streams and hijacks have none (see
 *     {@code edge.ResponseDeadline})
 * @param tcpKeepAliveIdleSeconds idle time before the first TCP keepalive probe, on tenant and backend
 *     connections alike
 * @param tcpKeepAliveIntervalSeconds time between unanswered probes
 * @param tcpKeepAliveCount unanswered probes after which the kernel drops the connection
 */
public record GatewayConfig(
    String tlsHost,
    int tlsPort,
    String tlsCertPath,
    String tlsKeyPath,
    List<String> tlsProtocols,
    long tlsHandshakeTimeoutMs,
    String plaintextHost,
    int plaintextPort,
    boolean plaintextAllowNonLoopback,
    int maxInitialLineBytes,
    int maxHeaderBytes,
    int backendConnectTimeoutMs,
    int maxIdleBackendConnections,
    long routeCacheMs,
    long identityCacheMs,
    long busTimeoutMs,
    long shutdownGraceMs,
    long backendResponseTimeoutMs,
    int tcpKeepAliveIdleSeconds,
    int tcpKeepAliveIntervalSeconds,
    int tcpKeepAliveCount) {

  public static GatewayConfig fromJson(JsonObject json) {
    JsonArray protocols = json.getValue("tlsProtocols") instanceof JsonArray a ? a : new JsonArray().add("TLSv1.3");
    GatewayConfig c = new GatewayConfig(
        ConfigValues.string(json, "edge", "tlsHost", "127.0.0.1"),
        ConfigValues.integer(json, "edge", "tlsPort", 2376),
        ConfigValues.string(json, "edge", "tlsCertPath", null),
        ConfigValues.string(json, "edge", "tlsKeyPath", null),
        protocols.stream().map(Object::toString).toList(),
        ConfigValues.longValue(json, "edge", "tlsHandshakeTimeoutMs", 10_000L),
        ConfigValues.string(json, "edge", "plaintextHost", "127.0.0.1"),
        ConfigValues.integer(json, "edge", "plaintextPort", -1),
        json.getValue("plaintextAllowNonLoopback") instanceof Boolean b && b,
        ConfigValues.integer(json, "edge", "maxInitialLineBytes", 65536),
        ConfigValues.integer(json, "edge", "maxHeaderBytes", 65536),
        ConfigValues.integer(json, "edge", "backendConnectTimeoutMs", 5000),
        ConfigValues.integer(json, "edge", "maxIdleBackendConnections", 32),
        ConfigValues.longValue(json, "edge", "routeCacheMs", 1000L),
        ConfigValues.longValue(json, "edge", "identityCacheMs", 1000L),
        ConfigValues.longValue(json, "edge", "busTimeoutMs", 2000L),
        ConfigValues.longValue(json, "edge", "shutdownGraceMs", 30_000L),
        ConfigValues.longValue(json, "edge", "backendResponseTimeoutMs", 60_000L),
        ConfigValues.integer(json, "edge", "tcpKeepAliveIdleSeconds", 60),
        ConfigValues.integer(json, "edge", "tcpKeepAliveIntervalSeconds", 10),
        ConfigValues.integer(json, "edge", "tcpKeepAliveCount", 6));
    c.validate();
    return c;
  }

  public boolean tlsEnabled() {
    return tlsPort >= 0;
  }

  public boolean plaintextEnabled() {
    return plaintextPort >= 0;
  }

  private void validate() {
    require(shutdownGraceMs >= 0, "edge.shutdownGraceMs", shutdownGraceMs);
    require(tlsPort >= -1 && tlsPort <= 65535, "edge.tlsPort", tlsPort);
    require(plaintextPort >= -1 && plaintextPort <= 65535, "edge.plaintextPort", plaintextPort);
    require(tlsEnabled() || plaintextEnabled(), "edge.tlsPort", "no listener at all (edge.tlsPort and edge.plaintextPort are both -1)");
    if (tlsEnabled()) {
      require(tlsCertPath != null && !tlsCertPath.isBlank(), "edge.tlsCertPath", tlsCertPath);
      require(tlsKeyPath != null && !tlsKeyPath.isBlank(), "edge.tlsKeyPath", tlsKeyPath);
      require(!tlsProtocols.isEmpty() && tlsProtocols.stream().allMatch(p -> p.equals("TLSv1.2") || p.equals("TLSv1.3")),
          "edge.tlsProtocols", tlsProtocols);
    }
    require(tlsHandshakeTimeoutMs > 0, "edge.tlsHandshakeTimeoutMs", tlsHandshakeTimeoutMs);
    if (plaintextEnabled() && !plaintextAllowNonLoopback) {
      require(isLoopback(plaintextHost), "edge.plaintextHost",
          plaintextHost + " is not a loopback address; a plaintext listener elsewhere needs edge.plaintextAllowNonLoopback");
    }
    require(maxInitialLineBytes >= 1024, "edge.maxInitialLineBytes", maxInitialLineBytes);
    require(maxHeaderBytes >= 1024, "edge.maxHeaderBytes", maxHeaderBytes);
    require(backendConnectTimeoutMs > 0, "edge.backendConnectTimeoutMs", backendConnectTimeoutMs);
    require(maxIdleBackendConnections >= 0, "edge.maxIdleBackendConnections", maxIdleBackendConnections);
    require(routeCacheMs >= 0, "edge.routeCacheMs", routeCacheMs);
    require(identityCacheMs >= 0, "edge.identityCacheMs", identityCacheMs);
    require(busTimeoutMs > 0, "edge.busTimeoutMs", busTimeoutMs);
    require(backendResponseTimeoutMs >= 0, "edge.backendResponseTimeoutMs", backendResponseTimeoutMs);
    // Linux takes 1-32767 for each (tcp(7)); beyond that setsockopt fails on every connection.
    require(tcpKeepAliveIdleSeconds >= 1 && tcpKeepAliveIdleSeconds <= 32767, "edge.tcpKeepAliveIdleSeconds", tcpKeepAliveIdleSeconds);
    require(tcpKeepAliveIntervalSeconds >= 1 && tcpKeepAliveIntervalSeconds <= 32767, "edge.tcpKeepAliveIntervalSeconds",
        tcpKeepAliveIntervalSeconds);
    require(tcpKeepAliveCount >= 1 && tcpKeepAliveCount <= 127, "edge.tcpKeepAliveCount", tcpKeepAliveCount);
  }

  /** The keepalive both sides' TCP connections get. */
  public io.portcullis.gateway.channel.TcpKeepAlive tcpKeepAlive() {
    return new io.portcullis.gateway.channel.TcpKeepAlive(tcpKeepAliveIdleSeconds, tcpKeepAliveIntervalSeconds, tcpKeepAliveCount);
  }

  private static boolean isLoopback(String host) {
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  private static void require(boolean ok, String key, Object value) {
    if (!ok) {
      throw new IllegalArgumentException("invalid configuration " + key + ": " + value);
    }
  }
}
