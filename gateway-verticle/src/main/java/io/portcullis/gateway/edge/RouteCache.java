package io.portcullis.gateway.edge;

import io.portcullis.contracts.RegistryClient;
import io.portcullis.contracts.Route;
import io.portcullis.contracts.RouteRequest;
import io.vertx.core.Future;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The edge's short-lived memory of the registry's routing answers, so that a request does not cost an
 * event-bus round trip. Dropped whole whenever the registry publishes a host change. One instance per
 * event loop: no locking.
 */
public final class RouteCache {
  private record Cached(Future<Route> route, long expiresAt) {}

  private final RegistryClient registry;
  private final long ttlMs;
  private final LongSupplier clock;
  private final Map<String, Cached> byTenant = new HashMap<>();

  public RouteCache(RegistryClient registry, long ttlMs, LongSupplier clock) {
    this.registry = registry;
    this.ttlMs = ttlMs;
    this.clock = clock;
  }

  public Future<Route> route(String tenant, String family) {
    long now = clock.getAsLong();
    Cached cached = byTenant.get(tenant);
    if (cached != null && now < cached.expiresAt() && !cached.route().failed()) {
      return cached.route();
    }
    Future<Route> route = registry.route(new RouteRequest(tenant, family));
    if (ttlMs > 0) {
      byTenant.put(tenant, new Cached(route, now + ttlMs));
    }
    return route;
  }

  public void invalidate() {
    byTenant.clear();
  }
}
