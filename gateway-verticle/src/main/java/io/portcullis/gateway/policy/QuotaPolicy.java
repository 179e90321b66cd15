package io.portcullis.gateway.policy;

import io.portcullis.contracts.ApiException;
import io.vertx.core.json.JsonObject;

/**
 * Resource limits at create and update time: a limit the tenant did not ask for is set to its default,
 * one above the tenant's maximum is refused (403 naming the field and the quota). Pure functions over
 * the request body; counting a tenant's containers needs the backend and lives in the ownership guard.
 */
public final class QuotaPolicy {
  private final PolicyConfig config;

  public QuotaPolicy(PolicyConfig config) {
    this.config = config;
  }

  public Quotas quotasFor(String tenant) {
    return config.quotasFor(tenant);
  }

  /** Sets default limits in a {@code POST /containers/create} body and refuses limits above the maximum. */
  public void applyToCreate(String tenant, JsonObject body) {
    Quotas q = config.quotasFor(tenant);
    JsonObject host = body.getValue("HostConfig") instanceof JsonObject h ? h : new JsonObject();
    body.put("HostConfig", host);
    long memory = number(host, "Memory");
    if (memory <= 0 && q.defaultMemoryBytes() > 0) {
      host.put("Memory", q.defaultMemoryBytes());
    }
    if (nanoCpus(host) <= 0 && q.defaultNanoCpus() > 0) {
      // Docker refuses NanoCpus beside CpuQuota/CpuPeriod; nanoCpus() is 0 only when neither was set.
      host.put("NanoCpus", q.defaultNanoCpus());
    }
    long pids = number(host, "PidsLimit");
    if (pids <= 0 && q.defaultPids() > 0) {
      host.put("PidsLimit", q.defaultPids());
    }
    checkMaxima(q, host, "HostConfig.");
  }

  /**
   * Refuses a {@code POST /containers/{id}/update} that raises a limit above the maximum or removes it
   * ({@code PidsLimit} 0 or -1 means unlimited there; {@code Memory} 0 means unchanged).
   */
  public void checkUpdate(String tenant, JsonObject body) {
    Quotas q = config.quotasFor(tenant);
    if (q.maxPids() > 0 && body.getValue("PidsLimit") instanceof Number n && n.longValue() <= 0) {
      refuse("PidsLimit", "an unlimited pids limit", q.maxPids() + " processes", "maxPids");
    }
    if (q.maxNanoCpus() > 0 && (number(body, "CpuQuota") < 0 || number(body, "NanoCpus") < 0)) {
      refuse("CpuQuota", "an unlimited CPU limit", q.maxNanoCpus() / 1e9 + " CPUs", "maxCpus");
    }
    if (q.maxMemoryBytes() > 0 && number(body, "Memory") < 0) {
      refuse("Memory", "an unlimited memory limit", q.maxMemoryBytes() + " bytes", "maxMemoryBytes");
    }
    checkMaxima(q, body, "");
  }

  /**
   * The limits of a legacy build's steps ({@code memory}, {@code cpuquota}/{@code cpuperiod} query
   * parameters): defaults where none are given, refused above the maximum, as for a container.
   * Returns the parameters to set (the caller rewrites the query).
   */
  public java.util.Map<String, String> buildLimits(String tenant, java.util.Map<String, java.util.List<String>> params) {
    Quotas q = config.quotasFor(tenant);
    JsonObject asked = new JsonObject();
    putNumber(asked, "Memory", params, "memory");
    putNumber(asked, "CpuQuota", params, "cpuquota");
    putNumber(asked, "CpuPeriod", params, "cpuperiod");
    checkMaxima(q, asked, "build ");
    java.util.Map<String, String> set = new java.util.LinkedHashMap<>();
    if (number(asked, "Memory") <= 0 && q.defaultMemoryBytes() > 0) {
      set.put("memory", Long.toString(q.defaultMemoryBytes()));
    }
    if (nanoCpus(asked) <= 0 && q.defaultNanoCpus() > 0) {
      set.put("cpuperiod", "100000");
      set.put("cpuquota", Long.toString(q.defaultNanoCpus() * 100_000L / 1_000_000_000L));
    }
    return set;
  }

  private static void putNumber(JsonObject into, String field, java.util.Map<String, java.util.List<String>> params, String key) {
    java.util.List<String> values = params.get(key);
    if (values != null && !values.isEmpty() && !values.get(0).isBlank()) {
      try {
        into.put(field, Long.parseLong(values.get(0).trim()));
      } catch (NumberFormatException e) {
        throw ApiException.badRequest("build parameter " + key + " must be a number: " + values.get(0));
      }
    }
  }

  private static void checkMaxima(Quotas q, JsonObject resources, String prefix) {
    long memory = number(resources, "Memory");
    if (q.maxMemoryBytes() > 0 && memory > q.maxMemoryBytes()) {
      refuse(prefix + "Memory", memory + " bytes", q.maxMemoryBytes() + " bytes", "maxMemoryBytes");
    }
    long cpus = nanoCpus(resources);
    if (q.maxNanoCpus() > 0 && cpus > q.maxNanoCpus()) {
      refuse(prefix + (number(resources, "NanoCpus") > 0 ? "NanoCpus" : "CpuQuota"),
          cpus / 1e9 + " CPUs", q.maxNanoCpus() / 1e9 + " CPUs", "maxCpus");
    }
    long pids = number(resources, "PidsLimit");
    if (q.maxPids() > 0 && pids > q.maxPids()) {
      refuse(prefix + "PidsLimit", pids + " processes", q.maxPids() + " processes", "maxPids");
    }
  }

  /** The CPU limit asked for, in NanoCpus, whichever way it was written; 0 when none. */
  private static long nanoCpus(JsonObject resources) {
    long nano = number(resources, "NanoCpus");
    if (nano > 0) {
      return nano;
    }
    long quota = number(resources, "CpuQuota");
    long period = number(resources, "CpuPeriod");
    if (quota > 0) {
      return quota * 1_000_000_000L / (period > 0 ? period : 100_000L);
    }
    return 0;
  }

  private static void refuse(String field, String asked, String limit, String quota) {
    throw ApiException.forbidden(field + " of " + asked + " is above your limit of " + limit + " (quota " + quota + ")")
        .byRule("quota:" + quota);
  }

  private static long number(JsonObject json, String key) {
    return json.getValue(key) instanceof Number n ? n.longValue() : 0;
  }
}
