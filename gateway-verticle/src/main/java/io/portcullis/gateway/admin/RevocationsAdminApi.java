package io.portcullis.gateway.admin;

import io.portcullis.contracts.ApiException;
import io.portcullis.contracts.AuthClient;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;

/**
 * {@code POST /admin/revocations} {@code {"serial": "hex"}}: the certificate is refused from then on and
 * its open sessions are closed; answers {@code {"revoked": "normalised hex"}}. The revoked serials are
 * listed by {@code GET /admin/tenants}.
 */
final class RevocationsAdminApi implements AdminResource {
  private final AuthClient auth;

  RevocationsAdminApi(AuthClient auth) {
    this.auth = auth;
  }

  @Override
  public boolean handles(String path) {
    return path.equals("/admin/revocations");
  }

  @Override
  public Future<JsonObject> handle(HttpMethod method, String path, JsonObject body) {
    if (!method.equals(HttpMethod.POST)) {
      return AdminResource.notAllowed("use POST /admin/revocations {\"serial\": \"...\"}");
    }
    String serial = AdminResource.text(body, "serial", null);
    if (serial == null) {
      return Future.failedFuture(ApiException.badRequest("give the certificate's serial as {\"serial\": \"hex\"}"));
    }
    return auth.revoke(serial);
  }
}
