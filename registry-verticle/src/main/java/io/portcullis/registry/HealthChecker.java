package io.portcullis.registry;

import io.portcullis.contracts.BackendHost;
import io.portcullis.contracts.BackendHost.HostState;
import io.vertx.core.Future;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.RequestOptions;

/** Asks one host's daemon {@code GET /_ping} and turns the answer into a {@link HostState}. */
final class HealthChecker {
  private final HttpClient http;
  private final long timeoutMs;

  HealthChecker(HttpClient http, long timeoutMs) {
    this.http = http;
    this.timeoutMs = timeoutMs;
  }

  Future<HostState> check(BackendHost host) {
    RequestOptions options = host.requestOptions("/_ping")
        .setIdleTimeout(timeoutMs)
        .setConnectTimeout(timeoutMs);
    return http.request(options)
        .compose(req -> req.send())
        .compose(resp -> resp.body().map(body -> resp.statusCode() == 200 ? HostState.UP : HostState.DOWN))
        .otherwise(HostState.DOWN);
  }
}
