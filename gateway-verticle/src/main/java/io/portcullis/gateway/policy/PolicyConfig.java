package io.portcullis.gateway.policy;

import io.portcullis.contracts.ConfigValues;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Typed configuration of the create-time policy (config key {@code policy}).
 *
 * @param allowedCapabilities capabilities a container may add ({@code CapAdd}); Docker's default set
 * @param allowedLogDrivers log drivers a container may choose ({@code LogConfig.Type})
 * @param hostPortMin lowest host port a container may publish (0 with max 0: none)
 * @param hostPortMax highest host port a container may publish
 * @param maxJsonBodyBytes largest create body the gateway reads to check it (413 beyond)
 * @param allowedRegistries registries (host or host:port) tenants may pull from, push to and log in
 *     to; empty: any (the daemon then reaches whatever address a tenant names)
 * @param restrictExecUser whether an exec may not choose its user ({@code docker exec -u}): it then
 *     runs as the container's own user (rule {@code exec-user})
 * @param tenantAllowances per tenant, the rules it is exempt from (e.g. {@code privileged})
 * @param quotas what each tenant may use, unless overridden for it
 * @param tenantQuotas per tenant, its own quotas
 */
public record PolicyConfig(
    Set<String> allowedCapabilities,
    Set<String> allowedLogDrivers,
    int hostPortMin,
    int hostPortMax,
    int maxJsonBodyBytes,
    boolean restrictExecUser,
    Set<String> allowedRegistries,
    Map<String, Set<String>> tenantAllowances,
    Quotas quotas,
    Map<String, Quotas> tenantQuotas) {

  static final Set<String> DOCKER_DEFAULT_CAPABILITIES = Set.of("CHOWN", "DAC_OVERRIDE", "FSETID", "FOWNER", "MKNOD",
      "NET_RAW", "SETGID", "SETUID", "SETFCAP", "SETPCAP", "NET_BIND_SERVICE", "SYS_CHROOT", "KILL", "AUDIT_WRITE");

  public static PolicyConfig defaults() {
    return fromJson(new JsonObject());
  }

  public static PolicyConfig fromJson(JsonObject json) {
    Set<String> caps = strings(json.getValue("allowedCapabilities"), DOCKER_DEFAULT_CAPABILITIES, "policy.allowedCapabilities", true);
    Set<String> logDrivers = strings(json.getValue("allowedLogDrivers"), Set.of("json-file", "local", "none"), "policy.allowedLogDrivers", false);
    int min = ConfigValues.integer(json, "policy", "hostPortMin", 0);
    int max = ConfigValues.integer(json, "policy", "hostPortMax", 0);
    if (min < 0 || max > 65535 || min > max) {
      throw new IllegalArgumentException("invalid configuration policy.hostPortMin/hostPortMax: " + min + "-" + max);
    }
    int maxBody = ConfigValues.integer(json, "policy", "maxJsonBodyBytes", 1 << 20);
    if (maxBody < 1024) {
      throw new IllegalArgumentException("invalid configuration policy.maxJsonBodyBytes: " + maxBody);
    }
    Object restrict = json.getValue("restrictExecUser", false);
    if (!(restrict instanceof Boolean)) {
      throw new IllegalArgumentException("invalid configuration policy.restrictExecUser: expected true or false, got " + restrict);
    }
    Map<String, Set<String>> allowances = new HashMap<>();
    Map<String, Quotas> tenantQuotas = new HashMap<>();
    Quotas quotas = Quotas.fromJson(json.getValue("quotas") instanceof JsonObject q ? q : new JsonObject(),
        Quotas.BUILT_IN, "policy.quotas");
    JsonObject tenants = json.getValue("tenants") instanceof JsonObject t ? t : new JsonObject();
    for (String tenant : tenants.fieldNames()) {
      Object allow = tenants.getValue(tenant) instanceof JsonObject o ? o.getValue("allow") : null;
      Set<String> rules = strings(allow, Set.of(), "policy.tenants." + tenant + ".allow", false);
      for (String rule : rules) {
        if (!CreatePolicy.RULES.contains(rule)) {
          throw new IllegalArgumentException("invalid configuration policy.tenants." + tenant + ".allow: unknown rule " + rule
              + " (rules: " + String.join(", ", CreatePolicy.RULES) + ")");
        }
      }
      allowances.put(tenant, rules);
      if (tenants.getValue(tenant) instanceof JsonObject o && o.getValue("quotas") instanceof JsonObject q) {
        tenantQuotas.put(tenant, Quotas.fromJson(q, quotas, "policy.tenants." + tenant + ".quotas"));
      }
    }
    Set<String> registries = strings(json.getValue("allowedRegistries"), Set.of(), "policy.allowedRegistries", false);
    return new PolicyConfig(caps, logDrivers, min, max, maxBody, (Boolean) restrict, registries, allowances, quotas,
        tenantQuotas);
  }

  public Quotas quotasFor(String tenant) {
    return tenantQuotas.getOrDefault(tenant, quotas);
  }

  boolean allows(String tenant, String rule) {
    return tenantAllowances.getOrDefault(tenant, Set.of()).contains(rule);
  }

  private static Set<String> strings(Object value, Set<String> def, String key, boolean upper) {
    if (value == null) {
      return def;
    }
    if (!(value instanceof JsonArray array)) {
      throw new IllegalArgumentException("invalid configuration " + key + ": expected a list");
    }
    Set<String> out = new LinkedHashSet<>();
    for (Object o : array) {
      String s = String.valueOf(o);
      out.add(upper ? s.toUpperCase(Locale.ROOT) : s);
    }
    return out;
  }
}
