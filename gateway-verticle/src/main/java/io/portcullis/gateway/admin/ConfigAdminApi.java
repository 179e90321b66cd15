package io.portcullis.gateway.admin;

import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;

/**
 * {@code GET /admin/config}: the configuration this node started with (file, environment and defaults
 * merged), secrets masked ({@link ConfigMask}). Another node's may differ.
 */
final class ConfigAdminApi implements AdminResource {
  private final JsonObject shown;

  ConfigAdminApi(JsonObject config) {
    // Masked once: the configuration in effect does not change while the node runs.
    this.shown = ConfigMask.masked(config);
  }

  @Override
  public boolean handles(String path) {
    return path.equals("/admin/config");
  }

  @Override
  public Future<JsonObject> handle(HttpMethod method, String path, JsonObject body) {
    return method.equals(HttpMethod.GET) ? Future.succeededFuture(shown.copy()) : AdminResource.notAllowed("use GET /admin/config");
  }
}
