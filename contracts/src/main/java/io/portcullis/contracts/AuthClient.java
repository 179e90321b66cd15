package io.portcullis.contracts;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;

/** Typed client of the auth verticle. A silent or missing auth service is a 503, never an allow. */
public final class AuthClient {
  private final Vertx vertx;
  private final DeliveryOptions options;

  public AuthClient(Vertx vertx, long timeoutMs) {
    this(vertx, timeoutMs, false);
  }

  /** With {@code localOnly}, only this node's auth verticle is asked (see {@link NodeState#runsLocally}). */
  public AuthClient(Vertx vertx, long timeoutMs, boolean localOnly) {
    this.vertx = vertx;
    this.options = new DeliveryOptions().setSendTimeout(timeoutMs).setLocalOnly(localOnly);
  }

  public Future<Tenant> identify(IdentifyRequest request) {
    return BusReplies.mapFailure(
        io.portcullis.contracts.metrics.BusMetrics.timed(Addresses.AUTH_IDENTIFY, System.nanoTime(),
            vertx.eventBus().<JsonObject>request(Addresses.AUTH_IDENTIFY, request.toJson(), options))
            .map(reply -> Tenant.fromJson(reply.body())),
        "auth");
  }
}
