package io.portcullis.registry;

import io.portcullis.contracts.ConfigValues;
import io.vertx.core.json.JsonObject;

/**
 * Typed configuration of the registry verticle (config key {@code registry}).
 *
 * @param healthIntervalMs how often every host's {@code /_ping} is checked
 * @param healthTimeoutMs how long one ping may take before the host counts as down
 * @param healthFailuresBeforeDown failed checks in a row before an up host counts as down
 * @param reloadIntervalMs how often {@code hosts.json} is re-read for the command line's changes
 * @param stateDir where registrations are stored ({@code hosts.json}); null: not stored
 * @param placement strategy and tenants' pools ({@code registry.placement})
 */
public record RegistryConfig(long healthIntervalMs, long healthTimeoutMs, int healthFailuresBeforeDown,
    long reloadIntervalMs, String stateDir, io.portcullis.registry.placement.PlacementConfig placement) {

  public static RegistryConfig fromJson(JsonObject json) {
    long interval = ConfigValues.longValue(json, "registry", "healthIntervalMs", 5000L);
    long timeout = ConfigValues.longValue(json, "registry", "healthTimeoutMs", 2000L);
    if (interval < 100) {
      throw new IllegalArgumentException("registry.healthIntervalMs must be at least 100: " + interval);
    }
    if (timeout < 50) {
      throw new IllegalArgumentException("registry.healthTimeoutMs must be at least 50: " + timeout);
    }
    int failures = ConfigValues.integer(json, "registry", "healthFailuresBeforeDown", 2);
    if (failures < 1) {
      throw new IllegalArgumentException("registry.healthFailuresBeforeDown must be at least 1: " + failures);
    }
    long reload = ConfigValues.longValue(json, "registry", "reloadIntervalMs", 500L);
    if (reload < 100) {
      throw new IllegalArgumentException("registry.reloadIntervalMs must be at least 100: " + reload);
    }
    Object placement = json.getValue("placement");
    if (placement != null && !(placement instanceof JsonObject)) {
      throw new IllegalArgumentException("registry.placement must be an object");
    }
    return new RegistryConfig(interval, timeout, failures, reload, ConfigValues.string(json, "registry", "stateDir", null),
        io.portcullis.registry.placement.PlacementConfig.fromJson((JsonObject) placement));
  }
}
