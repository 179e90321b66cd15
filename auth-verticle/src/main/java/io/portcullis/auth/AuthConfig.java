package io.portcullis.auth;

import io.portcullis.contracts.ConfigValues;
import io.vertx.core.json.JsonObject;

/**
 * Typed configuration of the auth verticle (config key {@code auth}).
 *
 * @param plaintextTenant the tenant that connections to the plaintext (loopback) listener act as
 */
public record AuthConfig(String plaintextTenant) {

  public static AuthConfig fromJson(JsonObject json) {
    String tenant = ConfigValues.string(json, "auth", "plaintextTenant", "local");
    if (tenant.isBlank() || !tenant.matches("[a-z0-9][a-z0-9_.-]{0,62}")) {
      throw new IllegalArgumentException("auth.plaintextTenant must be 1-63 characters of a-z, 0-9, '_', '.', '-': " + tenant);
    }
    return new AuthConfig(tenant);
  }
}
