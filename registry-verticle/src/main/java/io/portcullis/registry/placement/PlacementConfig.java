package io.portcullis.registry.placement;

import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Configuration key {@code registry.placement}: the strategy, and which hosts each tenant may use.
 *
 * <pre>
 * "placement": {
 *   "strategy": "spread",                          spread (default) or binpack
 *   "pool": {},                                     labels every tenant's hosts must carry (none: all hosts)
 *   "tenants": {"alice": {"pool": {"tier": "gold"}}}  a tenant's own pool instead of the default
 * }
 * </pre>
 */
public record PlacementConfig(Placement placement, Map<String, String> defaultPool, Map<String, Map<String, String>> tenantPools) {

  public static PlacementConfig defaults() {
    return new PlacementConfig(Placement.of(null), Map.of(), Map.of());
  }

  /** The host labels a tenant's hosts must carry. */
  public Map<String, String> poolOf(String tenant) {
    return tenantPools.getOrDefault(tenant, defaultPool);
  }

  public static PlacementConfig fromJson(JsonObject json) {
    if (json == null) {
      return defaults();
    }
    Placement placement;
    Object strategy = json.getValue("strategy");
    if (strategy != null && !(strategy instanceof String)) {
      throw new IllegalArgumentException("registry.placement.strategy must be spread or binpack");
    }
    try {
      placement = Placement.of((String) strategy);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("registry.placement.strategy: " + e.getMessage());
    }
    Map<String, String> pool = labels(json.getValue("pool"), "registry.placement.pool");
    Map<String, Map<String, String>> tenants = new HashMap<>();
    Object t = json.getValue("tenants");
    if (t != null && !(t instanceof JsonObject)) {
      throw new IllegalArgumentException("registry.placement.tenants must be an object of tenant names");
    }
    if (t instanceof JsonObject byTenant) {
      for (String tenant : byTenant.fieldNames()) {
        String key = "registry.placement.tenants." + tenant;
        if (!(byTenant.getValue(tenant) instanceof JsonObject settings)) {
          throw new IllegalArgumentException(key + " must be an object like {\"pool\": {\"label\": \"value\"}}");
        }
        tenants.put(tenant, labels(settings.getValue("pool"), key + ".pool"));
      }
    }
    return new PlacementConfig(placement, pool, Map.copyOf(tenants));
  }

  private static Map<String, String> labels(Object value, String key) {
    if (value == null) {
      return Map.of();
    }
    if (!(value instanceof JsonObject o)) {
      throw new IllegalArgumentException(key + " must be an object of host labels, like {\"tier\": \"gold\"}");
    }
    Map<String, String> labels = new LinkedHashMap<>();
    for (String name : o.fieldNames()) {
      if (!(o.getValue(name) instanceof String v)) {
        throw new IllegalArgumentException(key + "." + name + " must be a string");
      }
      labels.put(name, v);
    }
    return Map.copyOf(labels);
  }
}
