package io.portcullis.gateway.policy;

import io.vertx.core.json.JsonObject;

/**
 * What one tenant may use (config {@code policy.quotas}, overridden per tenant by
 * {@code policy.tenants.NAME.quotas}). Zero means no limit of that kind.
 *
 * @param maxContainers containers the tenant may have on a host, running or not
 * @param defaultMemoryBytes memory limit set on a container created without one
 * @param maxMemoryBytes highest memory limit a container may ask for
 * @param defaultNanoCpus CPU limit (in 10^-9 CPUs, as Docker's {@code NanoCpus}) set when none is asked for
 * @param maxNanoCpus highest CPU limit a container may ask for
 * @param defaultPids pids limit set on a container created without one
 * @param maxPids highest pids limit a container may ask for
 */
public record Quotas(
    long maxContainers,
    long defaultMemoryBytes,
    long maxMemoryBytes,
    long defaultNanoCpus,
    long maxNanoCpus,
    long defaultPids,
    long maxPids) {

  static final Quotas BUILT_IN = new Quotas(100, 1L << 30, 8L << 30, 1_000_000_000L, 4_000_000_000L, 1024, 4096);

  /** Reads {@code json} (the keys present) over {@code base}, naming {@code key} in any complaint. */
  static Quotas fromJson(JsonObject json, Quotas base, String key) {
    Quotas q = new Quotas(
        count(json, "maxContainers", base.maxContainers, key),
        count(json, "defaultMemoryBytes", base.defaultMemoryBytes, key),
        count(json, "maxMemoryBytes", base.maxMemoryBytes, key),
        cpus(json, "defaultCpus", base.defaultNanoCpus, key),
        cpus(json, "maxCpus", base.maxNanoCpus, key),
        count(json, "defaultPids", base.defaultPids, key),
        count(json, "maxPids", base.maxPids, key));
    check(q.defaultMemoryBytes, q.maxMemoryBytes, key + ".defaultMemoryBytes");
    check(q.defaultNanoCpus, q.maxNanoCpus, key + ".defaultCpus");
    check(q.defaultPids, q.maxPids, key + ".defaultPids");
    return q;
  }

  private static void check(long def, long max, String key) {
    if (max > 0 && (def == 0 || def > max)) {
      throw new IllegalArgumentException("invalid configuration " + key + ": " + def
          + " must be set and at most the maximum (" + max + ") when a maximum is set");
    }
  }

  private static long count(JsonObject json, String field, long def, String key) {
    Object v = json.getValue(field);
    if (v == null) {
      return def;
    }
    if (!(v instanceof Number n) || n.doubleValue() < 0 || n.doubleValue() != Math.floor(n.doubleValue())) {
      throw new IllegalArgumentException("invalid configuration " + key + "." + field + ": expected a whole number >= 0, got " + v);
    }
    return n.longValue();
  }

  private static long cpus(JsonObject json, String field, long def, String key) {
    Object v = json.getValue(field);
    if (v == null) {
      return def;
    }
    if (!(v instanceof Number n) || n.doubleValue() < 0) {
      throw new IllegalArgumentException("invalid configuration " + key + "." + field + ": expected a number of CPUs >= 0, got " + v);
    }
    return Math.round(n.doubleValue() * 1e9);
  }
}
