package io.portcullis.contracts;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** Typed client of the registry verticle. */
public final class RegistryClient {
  private final Vertx vertx;
  private final DeliveryOptions options;

  public RegistryClient(Vertx vertx, long timeoutMs) {
    this(vertx, timeoutMs, false);
  }

  /** With {@code localOnly}, only this node's registry verticle is asked (see {@link NodeState#runsLocally}). */
  public RegistryClient(Vertx vertx, long timeoutMs, boolean localOnly) {
    this.vertx = vertx;
    this.options = new DeliveryOptions().setSendTimeout(timeoutMs).setLocalOnly(localOnly);
  }

  /** Registers (or updates) a host; stored in the state directory, so it is registered again at every start. */
  public Future<BackendHost> register(BackendHost host) {
    return register(host, true);
  }

  /** Registers a host; {@code persist} false for one declared in configuration. */
  public Future<BackendHost> register(BackendHost host, boolean persist) {
    return request(Addresses.REGISTRY_HOSTS_REGISTER, host.toJson().put("persist", persist)).map(BackendHost::fromJson);
  }

  /** Starts ({@code true}) or ends draining a host: no new placements on it, its objects keep working. */
  public Future<BackendHost> drain(String name, boolean draining) {
    return request(Addresses.REGISTRY_HOSTS_DRAIN, new JsonObject().put("name", name).put("draining", draining))
        .map(BackendHost::fromJson);
  }

  public Future<BackendHost> remove(String name) {
    return request(Addresses.REGISTRY_HOSTS_REMOVE, new JsonObject().put("name", name)).map(BackendHost::fromJson);
  }

  public Future<List<BackendHost>> hosts() {
    return request(Addresses.REGISTRY_HOSTS_LIST, new JsonObject())
        .map(body -> body.getJsonArray("hosts", new JsonArray()).stream()
            .map(o -> BackendHost.fromJson((JsonObject) o))
            .toList());
  }

  public Future<Route> route(RouteRequest request) {
    return request(Addresses.REGISTRY_ROUTE, request.toJson()).map(Route::fromJson);
  }

  public Future<Located> locate(LocateRequest request) {
    return request(Addresses.REGISTRY_OBJECTS_LOCATE, request.toJson()).map(Located::fromJson);
  }

  /** As {@link #locate}, with "not found" (404) as an empty answer rather than a failure. */
  public Future<java.util.Optional<Located>> find(LocateRequest request) {
    return locate(request).map(java.util.Optional::of).recover(err -> err instanceof ApiException api && api.status() == 404
        ? Future.succeededFuture(java.util.Optional.empty()) : Future.failedFuture(err));
  }

  public Future<Route> place(PlaceRequest request) {
    return request(Addresses.REGISTRY_PLACE, request.toJson()).map(Route::fromJson);
  }

  public Future<Void> record(ObjectRecord record) {
    return request(Addresses.REGISTRY_OBJECTS_RECORD, record.toJson()).mapEmpty();
  }

  private Future<JsonObject> request(String address, JsonObject body) {
    return BusReplies.mapFailure(
        io.portcullis.contracts.metrics.BusMetrics.timed(address, System.nanoTime(),
            vertx.eventBus().<JsonObject>request(address, body, options)).map(reply -> reply.body()),
        "registry");
  }
}
