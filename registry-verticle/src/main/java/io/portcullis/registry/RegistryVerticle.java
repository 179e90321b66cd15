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
  /** Names of the hosts that came from the store (not from configuration): the store is their record. */
  private final java.util.Set<String> stored = new java.util.HashSet<>();
  private RegistryConfig config;
  private HostStore store;
  private HealthChecker health;
  private HttpClient http;

  @Override
  public Future<?> start() {
    config = RegistryConfig.fromJson(config().getJsonObject("registry", new JsonObject()));
    store = config.stateDir() == null ? null : new HostStore(java.nio.file.Path.of(config.stateDir()));
    http = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(false));
    health = new HealthChecker(http, config.healthTimeoutMs());
    vertx.setPeriodic(config.healthIntervalMs(), id -> table.all().forEach(this::checkHealth));
    Future<Void> handlers = Future.join(
        reply(Addresses.REGISTRY_HOSTS_REGISTER, this::register),
        reply(Addresses.REGISTRY_HOSTS_DRAIN, this::drain),
        reply(Addresses.REGISTRY_HOSTS_REMOVE, this::remove),
        reply(Addresses.REGISTRY_HOSTS_LIST, body -> Future.succeededFuture(hostsJson())),
        reply(Addresses.REGISTRY_ROUTE, body -> Future.succeededFuture(table.route(RouteRequest.fromJson(body)).toJson())))
        .mapEmpty();
    if (store == null) {
      return handlers;
    }
    vertx.setPeriodic(config.reloadIntervalMs(), id -> reloadIfChanged());
    return handlers.compose(v -> loadStored(false));
  }

  /** Registers what the store holds and forgets stored hosts it no longer holds (the command line's changes). */
  private Future<Void> loadStored(boolean onlyIfChanged) {
    return vertx.executeBlocking(() -> onlyIfChanged && !store.changedSinceLoad() ? null : store.load())
        .compose(hosts -> {
          if (hosts == null) {
            return Future.succeededFuture();
          }
          java.util.Set<String> names = new java.util.HashSet<>();
          java.util.List<Future<BackendHost>> registrations = new java.util.ArrayList<>();
          for (BackendHost host : hosts) {
            names.add(host.name());
            stored.add(host.name());
            BackendHost known = table.get(host.name()).orElse(null);
            if (known == null || !known.withState(HostState.UNKNOWN).equals(host)) {
              registrations.add(registerInTable(host));
            }
          }
          for (String name : new java.util.ArrayList<>(stored)) {
            if (!names.contains(name)) {
              stored.remove(name);
              table.remove(name).ifPresent(this::publishRemoved);
            }
          }
          // Future.join of an empty list never completes.
          return registrations.isEmpty() ? Future.succeededFuture() : Future.join(registrations).mapEmpty();
        });
  }

  private void reloadIfChanged() {
    loadStored(true).onFailure(err -> log.log(System.Logger.Level.WARNING, "cannot reload the registered hosts: {0}", err.getMessage()));
  }

  @Override
  public Future<?> stop() {
    return http.close();
  }

  private Future<JsonObject> register(JsonObject body) {
    BackendHost host;
    try {
      host = BackendHost.fromJson(body).withState(HostState.UNKNOWN);
    } catch (RuntimeException e) {
      return Future.failedFuture(ApiException.badRequest("invalid host registration: " + e.getMessage()));
    }
    boolean persist = !Boolean.FALSE.equals(body.getValue("persist"));
    if (!persist || store == null) {
      return registerInTable(host).map(BackendHost::toJson);
    }
    stored.add(host.name());
    return vertx.executeBlocking(() -> store.put(host)).compose(this::registerInTable).map(BackendHost::toJson);
  }

  private Future<JsonObject> drain(JsonObject body) {
    String name = body.getString("name", "");
    boolean draining = !Boolean.FALSE.equals(body.getValue("draining"));
    Future<Void> persisted = store != null && stored.contains(name)
        ? vertx.executeBlocking(() -> store.setDraining(name, draining)).mapEmpty()
        : Future.succeededFuture();
    return persisted.compose(v -> {
      BackendHost host = table.get(name).orElse(null);
      if (host == null) {
        return Future.failedFuture(ApiException.notFound("no backend host named " + name));
      }
      table.setDraining(name, draining).ifPresent(changed -> {
        log.log(System.Logger.Level.INFO, "backend host {0} {1}", name, draining ? "is draining: no new placements" : "takes placements again");
        vertx.eventBus().publish(Addresses.REGISTRY_EVENTS_HOST_CHANGED, changed.toJson());
      });
      return Future.succeededFuture(table.get(name).orElse(host).toJson());
    });
  }

  private Future<JsonObject> remove(JsonObject body) {
    String name = body.getString("name", "");
    Future<Boolean> persisted = store != null && stored.remove(name)
        ? vertx.executeBlocking(() -> store.remove(name))
        : Future.succeededFuture(false);
    return persisted.compose(v -> table.remove(name)
        .map(removed -> {
          publishRemoved(removed);
          return Future.succeededFuture(removed.toJson());
        })
        .orElseGet(() -> Future.failedFuture(ApiException.notFound("no backend host named " + name))));
  }

  private void publishRemoved(BackendHost host) {
    log.log(System.Logger.Level.INFO, "backend host {0} ({1}) was removed", host.name(), host.uri());
    vertx.eventBus().publish(Addresses.REGISTRY_EVENTS_HOST_CHANGED, host.toJson().put("removed", true));
  }

  private Future<BackendHost> registerInTable(BackendHost host) {
    BackendHost stored = table.register(host);
    vertx.eventBus().publish(Addresses.REGISTRY_EVENTS_HOST_CHANGED, stored.toJson());
    // The first verdict is awaited so that start-up can say at once whether the backend answers.
    return checkHealth(stored).map(state -> table.get(stored.name()).orElse(stored));
  }

  private Future<HostState> checkHealth(BackendHost host) {
    return health.check(host).onSuccess(state -> table.recordCheck(host.name(), state, config.healthFailuresBeforeDown()).ifPresent(changed -> {
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
