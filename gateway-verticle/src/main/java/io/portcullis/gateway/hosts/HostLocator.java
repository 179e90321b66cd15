package io.portcullis.gateway.hosts;

import io.portcullis.contracts.ApiException;
import io.portcullis.contracts.BackendHost;
import io.portcullis.contracts.BackendHost.HostState;
import io.portcullis.contracts.LocateRequest;
import io.portcullis.contracts.PlaceRequest;
import io.portcullis.contracts.RegistryClient;
import io.portcullis.contracts.Route;
import io.portcullis.gateway.classify.ApiCall;
import io.portcullis.gateway.ownership.ObjectGuard;
import io.vertx.core.Future;

/**
 * The "locate" step of the edge pipeline when a tenant's calls span several hosts: which host serves
 * this call, and the checked backend reference of the object it names there.
 *
 * <p>The registry's index is a hint: the object is always checked on the host named (ownership, as on
 * one host), and when that host says it is not there the registry is asked again to look on the hosts
 * themselves, so an index a moment behind (an object just removed and created again elsewhere) never
 * turns into a wrong 404.
 */
public final class HostLocator {
  /** The host to forward to, and the object reference to forward instead of the tenant's (or null). */
  public record Resolved(BackendHost host, String backendRef) {}

  private final RegistryClient registry;

  public HostLocator(RegistryClient registry) {
    this.registry = registry;
  }

  public Future<Resolved> resolve(String tenant, ApiCall call, CallPlacement placement, Route route, ObjectGuard guard) {
    return switch (placement.kind()) {
      case ANY, SPANS -> checkOn(route.host(), tenant, call, guard);
      case PLACE_BY_BODY -> Future.succeededFuture(new Resolved(null, null));
      case PLACE -> registry.place(PlaceRequest.of(tenant, placement.object()))
          .compose(placed -> checkOn(placed.host(), tenant, call, guard));
      case LOCATE -> registry.locate(new LocateRequest(tenant, placement.object(), placement.ref(), false))
          .compose(located -> checkOn(located.host(), tenant, call, guard)
              .recover(err -> isNotFound(err) && located.fromIndex()
                  ? registry.locate(new LocateRequest(tenant, placement.object(), placement.ref(), true))
                      .compose(fresh -> checkOn(fresh.host(), tenant, call, guard))
                  : Future.failedFuture(err)));
    };
  }

  private static Future<Resolved> checkOn(BackendHost host, String tenant, ApiCall call, ObjectGuard guard) {
    return up(host).compose(h -> guard.check(tenant, call, h).map(ref -> new Resolved(h, ref)));
  }

  /** The host, or the 503 a call for it gets at once when the registry knows it is down. */
  public static Future<BackendHost> up(BackendHost host) {
    return host.state() == HostState.DOWN ? Future.failedFuture(unavailable(host)) : Future.succeededFuture(host);
  }

  public static ApiException unavailable(BackendHost host) {
    return ApiException.unavailable("backend host " + host.name() + " is unavailable");
  }

  private static boolean isNotFound(Throwable err) {
    return err instanceof ApiException api && api.status() == 404;
  }
}
