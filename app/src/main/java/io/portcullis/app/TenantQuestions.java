package io.portcullis.app;

import io.portcullis.auth.TenantAdmin;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;

/**
 * Where the {@code tenant}, {@code key} and {@code revoke} subcommands ask: the state directory
 * ({@link TenantAdmin} on it, as the auth verticle itself answers) or a running gateway's admin API.
 * Either way the answers have the admin API's JSON shapes and refusals are {@code ApiException}s, so
 * one printer serves both.
 */
interface TenantQuestions extends AutoCloseable {
  JsonObject list() throws Exception;

  /** A new tenant with its bundle (PEM text in {@code "bundle"}); 409 when it exists. */
  JsonObject add(String name, String role, String keyType) throws Exception;

  JsonObject remove(String name) throws Exception;

  JsonObject keys(String tenant) throws Exception;

  JsonObject addKey(String tenant, String key, String comment) throws Exception;

  JsonObject removeKey(String tenant, String fingerprint) throws Exception;

  JsonObject revoke(String serial) throws Exception;

  @Override
  default void close() {}

  static TenantQuestions of(TenantAdmin admin) {
    return new TenantQuestions() {
      @Override
      public JsonObject list() throws Exception {
        return admin.list();
      }

      @Override
      public JsonObject add(String name, String role, String keyType) throws Exception {
        return admin.add(new JsonObject().put("name", name).put("role", role).put("keyType", keyType));
      }

      @Override
      public JsonObject remove(String name) throws Exception {
        return admin.remove(name);
      }

      @Override
      public JsonObject keys(String tenant) throws Exception {
        return admin.keys(tenant);
      }

      @Override
      public JsonObject addKey(String tenant, String key, String comment) throws Exception {
        return admin.addKey(tenant, key, comment);
      }

      @Override
      public JsonObject removeKey(String tenant, String fingerprint) throws Exception {
        return admin.removeKey(tenant, fingerprint);
      }

      @Override
      public JsonObject revoke(String serial) throws Exception {
        return admin.revoke(serial);
      }
    };
  }

  static TenantQuestions of(AdminApi api) {
    return new TenantQuestions() {
      private String tenant(String name) {
        return "/admin/tenants/" + AdminApi.encode(name);
      }

      @Override
      public JsonObject list() throws Exception {
        return api.call(HttpMethod.GET, "/admin/tenants", null);
      }

      @Override
      public JsonObject add(String name, String role, String keyType) throws Exception {
        return api.call(HttpMethod.POST, tenant(name), new JsonObject().put("role", role).put("keyType", keyType));
      }

      @Override
      public JsonObject remove(String name) throws Exception {
        return api.call(HttpMethod.DELETE, tenant(name), null);
      }

      @Override
      public JsonObject keys(String name) throws Exception {
        return api.call(HttpMethod.GET, tenant(name) + "/keys", null);
      }

      @Override
      public JsonObject addKey(String name, String key, String comment) throws Exception {
        return api.call(HttpMethod.POST, tenant(name) + "/keys", new JsonObject().put("key", key).put("comment", comment));
      }

      @Override
      public JsonObject removeKey(String name, String fingerprint) throws Exception {
        return api.call(HttpMethod.DELETE, tenant(name) + "/keys/" + AdminApi.encode(fingerprint), null);
      }

      @Override
      public JsonObject revoke(String serial) throws Exception {
        return api.call(HttpMethod.POST, "/admin/revocations", new JsonObject().put("serial", serial));
      }

      @Override
      public void close() {
        api.close();
      }
    };
  }
}
