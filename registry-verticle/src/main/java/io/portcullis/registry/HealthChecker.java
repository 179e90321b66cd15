package io.portcullis.registry;

import io.portcullis.contracts.BackendHost;
import io.portcullis.contracts.BackendHost.HostState;
import io.vertx.core.Future;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;

/** Asks one host's daemon {@code GET /_ping} and turns the answer into a {@link HostState}. */
final class HealthChecker {
  private final HttpClient http;
  private final long timeoutMs;

  HealthChecker(HttpClient http, long timeoutMs) {
    this.http = http;
    this.timeoutMs = timeoutMs;
  }

  Future<HostState> check(BackendHost host) {
    RequestOptions options = new RequestOptions()
        .setMethod(HttpMethod.GET)
        .setURI("/_ping")
        .setHost(host.isUnixSocket() ? "docker" : host.tcpHost())
        .setPort(host.isUnixSocket() ? 80 : host.tcpPort())
        .setIdleTimeout(timeoutMs)
        .setConnectTimeout(timeoutMs);
    if (host.isUnixSocket()) {
      options.setServer(SocketAddress.domainSocketAddress(host.socketPath()));
    }
    return http.request(options)
        .compose(req -> req.send())
        .compose(resp -> resp.body().map(body -> resp.statusCode() == 200 ? HostState.UP : HostState.DOWN))
        .otherwise(HostState.DOWN);
  }
}
