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
    this.vertx = vertx;
    this.options = new DeliveryOptions().setSendTimeout(timeoutMs);
  }

  public Future<BackendHost> register(BackendHost host) {
    return request(Addresses.REGISTRY_HOSTS_REGISTER, host.toJson()).map(BackendHost::fromJson);
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

  private Future<JsonObject> request(String address, JsonObject body) {
    return BusReplies.mapFailure(
        vertx.eventBus().<JsonObject>request(address, body, options).map(reply -> reply.body()),
        "registry");
  }
}
