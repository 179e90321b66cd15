package io.portcullis.gateway.ownership;

import io.portcullis.contracts.ApiException;
import io.portcullis.contracts.BackendHost;
import io.vertx.core.Future;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;

/** Asks a backend daemon about one object (an inspect), for the ownership check before a call. */
public final class BackendInspector {
  private static final System.Logger log = System.getLogger(BackendInspector.class.getName());
  private final HttpClient http;

  public BackendInspector(HttpClient http) {
    this.http = http;
  }

  /** The inspect JSON, or null when the daemon says there is no such object. */
  public Future<JsonObject> inspect(BackendHost host, String path) {
    return call(host, HttpMethod.GET, path, null).map(body -> body == null ? null : body.toJsonObject());
  }

  /** A list answer ({@code /containers/json}, {@code /images/json}); a 404 is an empty list. */
  public Future<io.vertx.core.json.JsonArray> list(BackendHost host, String path) {
    return call(host, HttpMethod.GET, path, null)
        .map(body -> body == null ? new io.vertx.core.json.JsonArray() : body.toJsonArray());
  }

  /** Creates a volume owned by a tenant (the daemon answers the existing one if the name is taken). */
  public Future<JsonObject> createVolume(BackendHost host, String name, String tenant) {
    JsonObject body = Ownership.stamp(new JsonObject().put("Name", name), tenant);
    return call(host, HttpMethod.POST, "/volumes/create", body).map(answer -> answer == null ? null : answer.toJsonObject());
  }

  private Future<io.vertx.core.buffer.Buffer> call(BackendHost host, HttpMethod method, String path, JsonObject body) {
    RequestOptions options = host.requestOptions(path).setMethod(method);
    return http.request(options)
        .compose(req -> body == null ? req.send() : req.putHeader("Content-Type", "application/json").send(body.toBuffer()))
        .compose(resp -> resp.body().map(answer -> {
          if (resp.statusCode() == 404) {
            return null;
          }
          if (resp.statusCode() != 200 && resp.statusCode() != 201) {
            throw ApiException.badGateway("backend host " + host.name() + " answered " + resp.statusCode() + " to an ownership check");
          }
          return answer;
        }), err -> {
          log.log(System.Logger.Level.INFO, "backend host {0} ({1}) is unavailable: {2}", host.name(), host.uri(), err.getMessage());
          return Future.failedFuture(ApiException.unavailable("backend host " + host.name() + " is unavailable"));
        });
  }
}
