package io.portcullis.auth;

import io.portcullis.auth.Onboarding.ClientBundle;
import io.portcullis.auth.ca.KeyType;
import io.portcullis.auth.ca.Role;
import io.portcullis.auth.store.TenantStore;
import io.portcullis.auth.store.TenantStore.TenantRecord;
import io.portcullis.contracts.ApiException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.util.Set;

/**
 * Tenants, keys and revocations as JSON questions and answers (the shapes of the auth verticle's admin
 * addresses, see {@code Addresses.AUTH_TENANTS_LIST} and the following), over {@link Onboarding}: the
 * auth verticle serves them on the bus, the command line uses them on a state directory. Refusals are
 * {@link ApiException}s. Blocking (file I/O, key generation): call off the event loop.
 */
public final class TenantAdmin {
  private final Onboarding onboarding;

  public TenantAdmin(Onboarding onboarding) {
    this.onboarding = onboarding;
  }

  public JsonObject list() throws IOException {
    Set<String> revoked = onboarding.revokedSerials();
    JsonArray tenants = new JsonArray();
    onboarding.tenants().values().forEach(t -> tenants.add(shown(t, revoked)));
    return new JsonObject().put("tenants", tenants).put("revokedSerials", new JsonArray(revoked.stream().toList()));
  }

  /** {@code {"name", "role"?, "keyType"?}}: a new tenant and its bundle; 409 when the name is taken. */
  public JsonObject add(JsonObject request) throws IOException {
    String name = request.getString("name");
    Role role;
    KeyType keyType;
    try {
      TenantStore.validateName(name);
      role = Role.parse(request.getString("role", "tenant"));
      keyType = KeyType.parse(request.getString("keyType", "ec"));
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(e.getMessage());
    }
    if (onboarding.tenants().containsKey(name)) {
      throw new ApiException(409, "tenant " + name + " exists; remove it first, or register a key for it");
    }
    ClientBundle bundle = onboarding.issueBundle(name, role, keyType);
    return shown(tenant(name), onboarding.revokedSerials())
        .put("serial", bundle.serial())
        .put("bundle", new JsonObject().put("ca.pem", bundle.caPem()).put("cert.pem", bundle.certPem()).put("key.pem", bundle.keyPem()));
  }

  public JsonObject remove(String name) throws IOException {
    if (!onboarding.removeTenant(name)) {
      throw noTenant(name);
    }
    return new JsonObject().put("removed", name);
  }

  public JsonObject keys(String tenant) throws IOException {
    JsonArray keys = new JsonArray();
    tenant(tenant).keys().forEach(k -> keys.add(new JsonObject().put("fingerprint", k.fingerprint()).put("comment", k.comment()).put("added", k.added())));
    return new JsonObject().put("tenant", tenant).put("keys", keys);
  }

  public JsonObject addKey(String tenant, String key, String comment) throws IOException {
    tenant(tenant);
    if (key == null || key.isBlank()) {
      throw ApiException.badRequest("give the public key as \"key\": PEM text or an OpenSSH line");
    }
    try {
      return new JsonObject().put("tenant", tenant).put("fingerprint", onboarding.addKey(tenant, key, comment));
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(e.getMessage());
    }
  }

  public JsonObject removeKey(String tenant, String fingerprint) throws IOException {
    tenant(tenant);
    if (fingerprint == null || !onboarding.removeKey(tenant, fingerprint)) {
      throw ApiException.notFound("no key " + fingerprint + " for tenant " + tenant + " (give at least 8 leading hex digits of its fingerprint)");
    }
    return new JsonObject().put("tenant", tenant).put("removed", fingerprint);
  }

  public JsonObject revoke(String serial) throws IOException {
    String normalized;
    try {
      normalized = TenantStore.normalizeSerial(serial);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(e.getMessage());
    }
    onboarding.revokeSerial(normalized);
    return new JsonObject().put("revoked", normalized);
  }

  private TenantRecord tenant(String name) throws IOException {
    TenantRecord record = name == null ? null : onboarding.tenants().get(name);
    if (record == null) {
      throw noTenant(name);
    }
    return record;
  }

  private static ApiException noTenant(String name) {
    return ApiException.notFound("no tenant " + name);
  }

  private static JsonObject shown(TenantRecord t, Set<String> revoked) {
    return new JsonObject().put("name", t.name()).put("role", t.role()).put("created", t.created()).put("keys", t.keys().size())
        .put("serials", new JsonArray(t.serials()))
        .put("revoked", new JsonArray(t.serials().stream().filter(revoked::contains).toList()));
  }
}
