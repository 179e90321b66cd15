package io.portcullis.registry;

import io.portcullis.contracts.Addresses;
import io.portcullis.contracts.ApiException;
import io.portcullis.contracts.BackendHost;
import io.portcullis.contracts.BackendHost.HostState;
import io.portcullis.contracts.RouteRequest;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.function.Function;

/**
 * Holds the backend host list: hosts are registered by event-bus message, checked with {@code /_ping}
 * on a timer, and handed out to the edge by {@link Addresses#REGISTRY_ROUTE}. Health changes are
 * published on {@link Addresses#REGISTRY_EVENTS_HOST_CHANGED} and logged in one line each.
 */
public final class RegistryVerticle extends VerticleBase {
  private static final System.Logger log = System.getLogger(RegistryVerticle.class.getName());

  private final HostTable table = new HostTable();
  private HealthChecker health;
  private HttpClient http;

  @Override
  public Future<?> start() {
    RegistryConfig config = RegistryConfig.fromJson(config().getJsonObject("registry", new JsonObject()));
    http = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(false));
    health = new HealthChecker(http, config.healthTimeoutMs());
    vertx.setPeriodic(config.healthIntervalMs(), id -> table.all().forEach(this::checkHealth));
    return Future.join(
        reply(Addresses.REGISTRY_HOSTS_REGISTER, this::register),
        reply(Addresses.REGISTRY_HOSTS_LIST, body -> Future.succeededFuture(hostsJson())),
        reply(Addresses.REGISTRY_ROUTE, body -> Future.succeededFuture(table.route(RouteRequest.fromJson(body)).toJson())));
  }

  @Override
  public Future<?> stop() {
    return http.close();
  }

  private Future<JsonObject> register(JsonObject body) {
    BackendHost host;
    try {
      host = BackendHost.fromJson(body);
    } catch (RuntimeException e) {
      return Future.failedFuture(ApiException.badRequest("invalid host registration: " + e.getMessage()));
    }
    BackendHost stored = table.register(host.withState(HostState.UNKNOWN));
    vertx.eventBus().publish(Addresses.REGISTRY_EVENTS_HOST_CHANGED, stored.toJson());
    // The first verdict is awaited so that start-up can say at once whether the backend answers.
    return checkHealth(stored).map(state -> table.all().stream()
        .filter(h -> h.name().equals(stored.name())).findFirst().orElse(stored).toJson());
  }

  private Future<HostState> checkHealth(BackendHost host) {
    return health.check(host).onSuccess(state -> table.updateState(host.name(), state).ifPresent(changed -> {
      if (changed.state() == HostState.DOWN) {
        log.log(System.Logger.Level.WARNING, "backend host {0} ({1}) is not reachable; calls routed to it get 503 until it answers /_ping", changed.name(), changed.uri());
      } else {
        log.log(System.Logger.Level.INFO, "backend host {0} ({1}) is {2}", changed.name(), changed.uri(), changed.state().wireName());
      }
      vertx.eventBus().publish(Addresses.REGISTRY_EVENTS_HOST_CHANGED, changed.toJson());
    }));
  }

  private JsonObject hostsJson() {
    JsonArray hosts = new JsonArray();
    table.all().forEach(h -> hosts.add(h.toJson()));
    return new JsonObject().put("hosts", hosts);
  }

  private Future<Void> reply(String address, Function<JsonObject, Future<JsonObject>> handler) {
    return vertx.eventBus().<JsonObject>consumer(address, msg -> answer(msg, handler)).completion();
  }

  private static void answer(Message<JsonObject> msg, Function<JsonObject, Future<JsonObject>> handler) {
    Future<JsonObject> result;
    try {
      result = handler.apply(msg.body() == null ? new JsonObject() : msg.body());
    } catch (RuntimeException e) {
      result = Future.failedFuture(e);
    }
    result.onSuccess(msg::reply).onFailure(err -> {
      if (err instanceof ApiException api) {
        msg.fail(api.status(), api.getMessage());
      } else {
        log.log(System.Logger.Level.ERROR, "registry request on " + msg.address() + " failed", err);
        msg.fail(500, "registry failed to answer");
      }
    });
  }
}
