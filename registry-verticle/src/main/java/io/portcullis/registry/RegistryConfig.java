package io.portcullis.registry;

import io.portcullis.contracts.ConfigValues;
import io.vertx.core.json.JsonObject;

/**
 * Typed configuration of the registry verticle (config key {@code registry}).
 *
 * @param healthIntervalMs how often every host's {@code /_ping} is checked
 * @param healthTimeoutMs how long one ping may take before the host counts as down
 */
public record RegistryConfig(long healthIntervalMs, long healthTimeoutMs) {

  public static RegistryConfig fromJson(JsonObject json) {
    long interval = ConfigValues.longValue(json, "registry", "healthIntervalMs", 5000L);
    long timeout = ConfigValues.longValue(json, "registry", "healthTimeoutMs", 2000L);
    if (interval < 100) {
      throw new IllegalArgumentException("registry.healthIntervalMs must be at least 100: " + interval);
    }
    if (timeout < 50) {
      throw new IllegalArgumentException("registry.healthTimeoutMs must be at least 50: " + timeout);
    }
    return new RegistryConfig(interval, timeout);
  }
}
