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

  /** {@link Addresses#AUTH_TENANTS_LIST}. */
  public Future<JsonObject> tenants() {
    return ask(Addresses.AUTH_TENANTS_LIST, new JsonObject());
  }

  /** {@link Addresses#AUTH_TENANTS_ADD}: the answer holds the new client bundle, private key included. */
  public Future<JsonObject> addTenant(String name, String role, String keyType) {
    return ask(Addresses.AUTH_TENANTS_ADD, new JsonObject().put("name", name).put("role", role).put("keyType", keyType));
  }

  public Future<JsonObject> removeTenant(String name) {
    return ask(Addresses.AUTH_TENANTS_REMOVE, new JsonObject().put("name", name));
  }

  public Future<JsonObject> keys(String tenant) {
    return ask(Addresses.AUTH_KEYS_LIST, new JsonObject().put("tenant", tenant));
  }

  public Future<JsonObject> addKey(String tenant, String key, String comment) {
    return ask(Addresses.AUTH_KEYS_ADD, new JsonObject().put("tenant", tenant).put("key", key).put("comment", comment));
  }

  public Future<JsonObject> removeKey(String tenant, String fingerprint) {
    return ask(Addresses.AUTH_KEYS_REMOVE, new JsonObject().put("tenant", tenant).put("fingerprint", fingerprint));
  }

  public Future<JsonObject> revoke(String serial) {
    return ask(Addresses.AUTH_REVOKE, new JsonObject().put("serial", serial));
  }

  private Future<JsonObject> ask(String address, JsonObject body) {
    return BusReplies.mapFailure(vertx.eventBus().<JsonObject>request(address, body, options).map(reply -> reply.body()), "auth");
  }

  public Future<Tenant> identify(IdentifyRequest request) {
    return BusReplies.mapFailure(
        io.portcullis.contracts.metrics.BusMetrics.timed(Addresses.AUTH_IDENTIFY, System.nanoTime(),
            vertx.eventBus().<JsonObject>request(Addresses.AUTH_IDENTIFY, request.toJson(), options))
            .map(reply -> Tenant.fromJson(reply.body())),
        "auth");
  }
}
