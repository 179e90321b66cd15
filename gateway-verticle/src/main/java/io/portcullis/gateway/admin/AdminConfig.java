package io.portcullis.gateway.admin;

import io.portcullis.contracts.ConfigValues;
import io.vertx.core.json.JsonObject;

/**
 * Configuration key {@code admin}: the operators' HTTPS port. It presents the edge's server
 * certificate ({@code edge.tlsCertPath}, {@code edge.tlsKeyPath}) and serves only clients whose
 * certificate the auth verticle knows as an admin's.
 *
 * @param port {@code -1}: off (the default in code; {@code conf/portcullis.json} turns it on at 2377)
 */
public record AdminConfig(String host, int port, String certPath, String keyPath, long busTimeoutMs) {

  public boolean enabled() {
    return port >= 0;
  }

  public static AdminConfig fromJson(JsonObject admin, JsonObject edge) {
    int port = ConfigValues.integer(admin, "admin", "port", -1);
    if (port < -1 || port > 65535) {
      throw new IllegalArgumentException("admin.port must be -1 (off) or 0-65535: " + port);
    }
    String host = ConfigValues.string(admin, "admin", "host", "127.0.0.1");
    return new AdminConfig(host, port, ConfigValues.string(edge, "edge", "tlsCertPath", null),
        ConfigValues.string(edge, "edge", "tlsKeyPath", null), ConfigValues.longValue(admin, "admin", "busTimeoutMs", 5000L));
  }
}
