package io.portcullis.gateway.limits;

import io.portcullis.contracts.ApiException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * What a node admits: connections and hijacked sessions (in all, and per tenant) and each tenant's
 * request rate. One per process, shared by the edge verticle instances (their event loops take and give
 * back with atomic counters). A refusal is an {@link ApiException} in Docker's shape naming the limit
 * ({@code rule()} is {@code limit:NAME}, counted in {@code portcullis_limit_refusals_total}).
 */
public final class EdgeLimits {
  private static EdgeLimits shared;

  private final LimitsConfig config;
  private final LongSupplier nanoClock;
  private final AtomicInteger connections = new AtomicInteger();
  private final AtomicInteger sessions = new AtomicInteger();
  private final ConcurrentHashMap<String, AtomicInteger> tenantConnections = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, AtomicInteger> tenantSessions = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, TokenBucket> rates = new ConcurrentHashMap<>();

  EdgeLimits(LimitsConfig config, LongSupplier nanoClock) {
    this.config = config;
    this.nanoClock = nanoClock;
  }

  /** The process's limits; the first edge verticle's configuration sets them (all instances share one). */
  public static synchronized EdgeLimits shared(LimitsConfig config) {
    if (shared == null || !shared.config.equals(config)) {
      shared = new EdgeLimits(config, System::nanoTime);
    }
    return shared;
  }

  public LimitsConfig config() {
    return config;
  }

  /** A new connection: counted (give it back with {@link #connectionClosed}); null if admitted, else the refusal. */
  public ApiException connectionOpened() {
    int now = connections.incrementAndGet();
    return config.maxConnections() > 0 && now > config.maxConnections()
        ? ApiException.unavailable("this gateway node holds its maximum of " + config.maxConnections()
            + " connections; retry, or use another node").byRule("limit:node-connections")
        : null;
  }

  public void connectionClosed() {
    connections.decrementAndGet();
  }

  /** A connection identified as the tenant's: counted; null if admitted, else the refusal. */
  public ApiException tenantConnectionOpened(String tenant) {
    int now = tenantConnections.computeIfAbsent(tenant, t -> new AtomicInteger()).incrementAndGet();
    return config.maxConnectionsPerTenant() > 0 && now > config.maxConnectionsPerTenant()
        ? new ApiException(429, "too many connections: you have " + (now - 1) + " open to this gateway node and may have "
            + config.maxConnectionsPerTenant()).byRule("limit:tenant-connections")
        : null;
  }

  public void tenantConnectionClosed(String tenant) {
    release(tenantConnections, tenant);
  }

  /** A call that may become a hijacked session: taken now (give back with {@link #sessionClosed}); null if admitted. */
  public ApiException sessionOpening(String tenant) {
    int node = sessions.incrementAndGet();
    int own = tenantSessions.computeIfAbsent(tenant, t -> new AtomicInteger()).incrementAndGet();
    if (config.maxSessions() > 0 && node > config.maxSessions()) {
      sessionClosed(tenant);
      return ApiException.unavailable("this gateway node holds its maximum of " + config.maxSessions()
          + " attach/exec sessions; retry, or use another node").byRule("limit:node-sessions");
    }
    if (config.maxSessionsPerTenant() > 0 && own > config.maxSessionsPerTenant()) {
      sessionClosed(tenant);
      return new ApiException(429, "too many attach/exec sessions: you have " + (own - 1) + " open on this gateway node and may have "
          + config.maxSessionsPerTenant()).byRule("limit:tenant-sessions");
    }
    return null;
  }

  public void sessionClosed(String tenant) {
    sessions.decrementAndGet();
    release(tenantSessions, tenant);
  }

  /** One request of the tenant's: null if within its rate, else the refusal. */
  public ApiException request(String tenant) {
    if (config.requestsPerSecondPerTenant() <= 0) {
      return null;
    }
    TokenBucket bucket = rates.computeIfAbsent(tenant, t -> new TokenBucket(config.requestsPerSecondPerTenant(),
        config.requestBurstPerTenant() > 0 ? config.requestBurstPerTenant() : config.requestsPerSecondPerTenant(), nanoClock));
    return bucket.tryTake() ? null
        : new ApiException(429, "too many requests: you may make " + config.requestsPerSecondPerTenant()
            + " per second on this gateway node; retry shortly").byRule("limit:tenant-rate");
  }

  int sessionsOpen() {
    return sessions.get();
  }

  private static void release(ConcurrentHashMap<String, AtomicInteger> counts, String tenant) {
    AtomicInteger count = counts.get(tenant);
    if (count != null) {
      count.decrementAndGet();
    }
  }
}
