package io.portcullis.gateway.edge;

import io.portcullis.contracts.RegistryClient;
import io.portcullis.contracts.Route;
import io.portcullis.contracts.RouteRequest;
import io.vertx.core.Future;
import java.util.function.LongSupplier;

/**
 * The edge's short-lived memory of the registry's routing answers, dropped whole whenever the registry
 * publishes a host change. Keyed by tenant: routing does not depend on the call yet.
 */
public final class RouteCache {
  private final RegistryClient registry;
  private final AnswerCache<String, Route> byTenant;

  public RouteCache(RegistryClient registry, long ttlMs, LongSupplier clock) {
    this.registry = registry;
    this.byTenant = new AnswerCache<>(ttlMs, clock);
  }

  public Future<Route> route(String tenant, String family) {
    return byTenant.get(tenant, () -> registry.route(new RouteRequest(tenant, family)));
  }

  public void invalidate() {
    byTenant.clear();
  }
}
