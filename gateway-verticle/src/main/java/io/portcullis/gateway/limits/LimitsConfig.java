package io.portcullis.gateway.limits;

import io.vertx.core.json.JsonObject;

/**
 * The {@code limits} section: what one node lets one tenant, and everyone, hold at once. Zero means
 * no limit of that kind. Counted per node (per process): a cluster of N nodes behind a load balancer
 * lets a tenant have up to N times each figure.
 *
 * @param maxConnections tenant connections this node holds at once; beyond, a request is answered 503
 * @param maxConnectionsPerTenant connections one tenant holds on this node; beyond, 429
 * @param maxSessions hijacked sessions (attach, exec, BuildKit) on this node; beyond, 503
 * @param maxSessionsPerTenant hijacked sessions of one tenant on this node; beyond, 429
 * @param requestsPerSecondPerTenant a tenant's sustained request rate on this node (token bucket); beyond, 429
 * @param requestBurstPerTenant how many requests a tenant may make at once above the rate (the bucket's size)
 * @param requestHeadTimeoutMs time from a request's first byte to its complete head (slowloris); beyond, 408 and close
 * @param idleTimeoutMs how long a connection may wait, idle, for its next request; beyond, closed (never during a call,
 *     a stream or a session)
 */
public record LimitsConfig(int maxConnections, int maxConnectionsPerTenant, int maxSessions, int maxSessionsPerTenant,
    int requestsPerSecondPerTenant, int requestBurstPerTenant, long requestHeadTimeoutMs, long idleTimeoutMs) {

  public static LimitsConfig fromJson(JsonObject limits) {
    LimitsConfig config = new LimitsConfig(
        limits.getInteger("maxConnections", 20000),
        limits.getInteger("maxConnectionsPerTenant", 2048),
        limits.getInteger("maxSessions", 8000),
        limits.getInteger("maxSessionsPerTenant", 1024),
        limits.getInteger("requestsPerSecondPerTenant", 500),
        limits.getInteger("requestBurstPerTenant", 1000),
        limits.getLong("requestHeadTimeoutMs", 10_000L),
        limits.getLong("idleTimeoutMs", 120_000L));
    config.check();
    return config;
  }

  /** No limits at all (tests of other things). */
  public static LimitsConfig none() {
    return new LimitsConfig(0, 0, 0, 0, 0, 0, 0, 0);
  }

  private void check() {
    long[] values = {maxConnections, maxConnectionsPerTenant, maxSessions, maxSessionsPerTenant,
        requestsPerSecondPerTenant, requestBurstPerTenant, requestHeadTimeoutMs, idleTimeoutMs};
    String[] names = {"maxConnections", "maxConnectionsPerTenant", "maxSessions", "maxSessionsPerTenant",
        "requestsPerSecondPerTenant", "requestBurstPerTenant", "requestHeadTimeoutMs", "idleTimeoutMs"};
    for (int i = 0; i < values.length; i++) {
      if (values[i] < 0) {
        throw new IllegalArgumentException("limits." + names[i] + " must be 0 (no limit) or more, got " + values[i]);
      }
    }
    if (requestsPerSecondPerTenant > 0 && requestBurstPerTenant > 0 && requestBurstPerTenant < 1) {
      throw new IllegalArgumentException("limits.requestBurstPerTenant must be at least 1");
    }
  }
}
