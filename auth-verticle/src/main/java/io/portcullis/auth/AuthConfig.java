package io.portcullis.auth;

import io.portcullis.contracts.ConfigValues;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;

/**
 * Typed configuration of the auth verticle (config key {@code auth}).
 *
 * @param plaintextTenant the tenant that connections to the plaintext (loopback) listener act as
 * @param stateDir where the CA, the server certificate, tenants and revocations are kept
 * @param reloadIntervalMs how often the state is re-read for changes made by the command line
 */
public record AuthConfig(String plaintextTenant, Path stateDir, long reloadIntervalMs) {

  public static AuthConfig fromJson(JsonObject json) {
    String tenant = ConfigValues.string(json, "auth", "plaintextTenant", "local");
    if (tenant.isBlank() || !tenant.matches("[a-z0-9][a-z0-9_.-]{0,62}")) {
      throw new IllegalArgumentException("auth.plaintextTenant must be 1-63 characters of a-z, 0-9, '_', '.', '-': " + tenant);
    }
    String stateDir = ConfigValues.string(json, "auth", "stateDir", defaultStateDir());
    long reload = ConfigValues.longValue(json, "auth", "reloadIntervalMs", 500L);
    if (reload < 100) {
      throw new IllegalArgumentException("invalid configuration auth.reloadIntervalMs: " + reload + " (at least 100)");
    }
    return new AuthConfig(tenant, Path.of(stateDir), reload);
  }

  public static String defaultStateDir() {
    return Path.of(System.getProperty("user.home"), ".portcullis").toString();
  }
}
