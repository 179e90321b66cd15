package io.portcullis.gateway.admin;

import io.portcullis.contracts.ApiException;
import io.portcullis.contracts.AuthClient;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code /admin/tenants}: the auth service's tenant and key messages over HTTP.
 *
 * <pre>
 *   GET    /admin/tenants                      {"tenants": [{"name","role","created","keys","serials","revoked"}], "revokedSerials"}
 *   POST   /admin/tenants/NAME                 {"role"?: "tenant"|"admin", "keyType"?: "ec"|"rsa"|"ed25519"}:
 *                                              the tenant, "serial" and "bundle": {"ca.pem","cert.pem","key.pem"}; 409 exists
 *   DELETE /admin/tenants/NAME                 {"removed": NAME}
 *   GET    /admin/tenants/NAME/keys            {"tenant", "keys": [{"fingerprint","comment","added"}]}
 *   POST   /admin/tenants/NAME/keys            {"key": PEM or OpenSSH line, "comment"?}: {"tenant","fingerprint"}
 *   DELETE /admin/tenants/NAME/keys/FINGERPRINT  (8 hex digits or more)
 * </pre>
 *
 * The bundle's private key is made on the auth node and is in this one answer only: it is not logged
 * here or there.
 */
final class TenantsAdminApi implements AdminResource {
  private static final Pattern ONE = Pattern.compile("/admin/tenants/([^/]+)");
  private static final Pattern KEYS = Pattern.compile("/admin/tenants/([^/]+)/keys(?:/([^/]+))?");

  private final AuthClient auth;

  TenantsAdminApi(AuthClient auth) {
    this.auth = auth;
  }

  @Override
  public boolean handles(String path) {
    return path.equals("/admin/tenants") || path.startsWith("/admin/tenants/");
  }

  @Override
  public Future<JsonObject> handle(HttpMethod method, String path, JsonObject body) {
    if (path.equals("/admin/tenants")) {
      return method.equals(HttpMethod.GET) ? auth.tenants() : AdminResource.notAllowed("use GET /admin/tenants, or POST/DELETE /admin/tenants/NAME");
    }
    Matcher one = ONE.matcher(path);
    if (one.matches()) {
      String name = one.group(1);
      if (method.equals(HttpMethod.POST)) {
        return auth.addTenant(name, AdminResource.text(body, "role", "tenant"), AdminResource.text(body, "keyType", "ec"));
      }
      return method.equals(HttpMethod.DELETE) ? auth.removeTenant(name) : AdminResource.notAllowed("use POST or DELETE on " + path);
    }
    Matcher keys = KEYS.matcher(path);
    if (!keys.matches()) {
      return Future.failedFuture(ApiException.notFound("no such admin resource: " + path));
    }
    String tenant = keys.group(1);
    String fingerprint = keys.group(2);
    if (fingerprint != null) {
      return method.equals(HttpMethod.DELETE) ? auth.removeKey(tenant, fingerprint) : AdminResource.notAllowed("use DELETE on " + path);
    }
    if (method.equals(HttpMethod.GET)) {
      return auth.keys(tenant);
    }
    if (method.equals(HttpMethod.POST)) {
      String key = AdminResource.text(body, "key", null);
      if (key == null || key.isBlank()) {
        return Future.failedFuture(ApiException.badRequest("give the public key as {\"key\": \"<PEM or ssh-... line>\"}"));
      }
      return auth.addKey(tenant, key, AdminResource.text(body, "comment", ""));
    }
    return AdminResource.notAllowed("use GET or POST on " + path);
  }
}
