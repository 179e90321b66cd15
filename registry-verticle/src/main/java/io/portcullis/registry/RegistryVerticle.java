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
import io.portcullis.contracts.LocateRequest;
import io.portcullis.contracts.Located;
import io.portcullis.contracts.ObjectKind;
import io.portcullis.contracts.ObjectRecord;
import io.portcullis.contracts.PlaceRequest;
import io.portcullis.contracts.Route;
import io.portcullis.registry.index.IndexKeeper;
import io.portcullis.registry.index.ObjectIndex;
import io.portcullis.registry.index.ObjectProbe;
import io.portcullis.registry.placement.Constraint;
import io.portcullis.registry.placement.HostLoad;
import io.portcullis.registry.placement.PlacementException;
import io.portcullis.registry.placement.PlacementRequest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Holds the backend host list: hosts are registered by event-bus message, checked with {@code /_ping}
 * on a timer, and handed out to the edge by {@link Addresses#REGISTRY_ROUTE}. Health changes are
 * published on {@link Addresses#REGISTRY_EVENTS_HOST_CHANGED} and logged in one line each.
 */
public final class RegistryVerticle extends VerticleBase {
  private static final System.Logger log = System.getLogger(RegistryVerticle.class.getName());

  private final HostTable table = new HostTable();
  private final ObjectIndex index = new ObjectIndex();
  private final HostMeters meters = new HostMeters();
  /** Hosts whose index rebuild and event stream are being started. */
  private final java.util.Set<String> starting = new java.util.HashSet<>();
  private IndexKeeper keeper;
  private ObjectProbe probe;
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
    HostApi api = new HostApi(http, config.healthTimeoutMs());
    keeper = new IndexKeeper(api, index, this::onStreamLost);
    probe = new ObjectProbe(api, index);
    vertx.setPeriodic(config.healthIntervalMs(), id -> table.all().forEach(this::checkHealth));
    Future<Void> handlers = Future.join(List.of(
        reply(Addresses.REGISTRY_HOSTS_REGISTER, this::register),
        reply(Addresses.REGISTRY_HOSTS_DRAIN, this::drain),
        reply(Addresses.REGISTRY_HOSTS_REMOVE, this::remove),
        reply(Addresses.REGISTRY_HOSTS_LIST, body -> Future.succeededFuture(hostsJson())),
        reply(Addresses.REGISTRY_ROUTE, this::route),
        reply(Addresses.REGISTRY_OBJECTS_LOCATE, this::locate),
        reply(Addresses.REGISTRY_OBJECTS_RECORD, this::record),
        reply(Addresses.REGISTRY_PLACE, this::place)))
        .mapEmpty();
    if (store == null) {
      return handlers;
    }
    vertx.setPeriodic(config.reloadIntervalMs(), id -> reloadIfChanged());
    // The cluster's newer copy arrived: applied now, not at the next reload.
    vertx.eventBus().<String>localConsumer(Addresses.STATE_FILE_REPLACED, msg -> {
      if (HostStore.FILE_NAME.equals(msg.body())) {
        reloadIfChanged();
      }
    });
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
              table.remove(name).ifPresent(this::forget);
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
    keeper.stopAll();
    meters.removeAll();
    return http.close();
  }

  private Future<JsonObject> route(JsonObject body) {
    RouteRequest request = RouteRequest.fromJson(body);
    return Future.succeededFuture(table.route(request, config.placement().poolOf(request.tenant())).toJson());
  }

  /** The index first (unless the edge asks for a fresh answer), then the tenant's hosts themselves. */
  private Future<JsonObject> locate(JsonObject body) {
    LocateRequest request;
    try {
      request = LocateRequest.fromJson(body);
    } catch (RuntimeException e) {
      return Future.failedFuture(ApiException.badRequest("invalid locate request: " + e.getMessage()));
    }
    List<BackendHost> pool = table.pool(config.placement().poolOf(request.tenant()));
    if (!request.fresh()) {
      Optional<Located> known = index.locate(request.tenant(), request.kind(), request.ref())
          .flatMap(entry -> table.get(entry.host()).map(host -> new Located(host, entry.id(), entry.name(), true)));
      if (known.isPresent()) {
        return Future.succeededFuture(known.get().toJson());
      }
    }
    return probe.find(request.tenant(), request.kind(), request.ref(), pool).compose(found -> found
        .flatMap(entry -> table.get(entry.host()).map(host -> new Located(host, entry.id(), entry.name(), false)))
        .map(located -> Future.succeededFuture(located.toJson()))
        .orElseGet(() -> Future.failedFuture(ApiException.notFound(notFound(request.kind(), request.ref())))));
  }

  /** The daemon's own words for a missing object, so the docker CLI reacts as it would to a daemon. */
  private static String notFound(ObjectKind kind, String ref) {
    return switch (kind) {
      case CONTAINER -> "No such container: " + ref;
      case EXEC -> "No such exec instance: " + ref;
      case VOLUME -> "get " + ref + ": no such volume";
      case NETWORK -> "network " + ref + " not found";
      case IMAGE -> "No such image: " + ref;
    };
  }

  private Future<JsonObject> record(JsonObject body) {
    ObjectRecord record = ObjectRecord.fromJson(body);
    index.put(new ObjectIndex.Entry(record.kind(), record.id(), record.name(), record.tenant(), record.host()));
    return Future.succeededFuture(new JsonObject());
  }

  /**
   * Places a new object: the tenant's pool, its constraints, the hosts of the volumes and networks it
   * uses (from the index), and the hosts that already have its image (asked now).
   */
  private Future<JsonObject> place(JsonObject body) {
    PlaceRequest request;
    List<Constraint> constraints = new ArrayList<>();
    try {
      request = PlaceRequest.fromJson(body);
      for (String expression : request.constraints()) {
        constraints.add(Constraint.parse(expression));
      }
    } catch (RuntimeException e) {
      return Future.failedFuture(ApiException.badRequest("invalid placement: " + e.getMessage()));
    }
    Map<String, String> poolLabels = config.placement().poolOf(request.tenant());
    List<BackendHost> pool = table.pool(poolLabels);
    Set<String> pinned = new HashSet<>();
    request.volumes().forEach(v -> index.hostOf(ObjectKind.VOLUME, v).ifPresent(pinned::add));
    request.networks().forEach(n -> index.hostOf(ObjectKind.NETWORK, n).ifPresent(pinned::add));
    Map<String, Integer> containers = index.containersPerHost();
    return hostOfName(request, pool).compose(named -> named.isPresent()
        ? Future.succeededFuture(new Route(named.get(), pool).toJson())
        : hostsWithImage(request.tenant(), request.image(), pool).compose(withImage -> {
      List<HostLoad> loads = pool.stream()
          .map(h -> new HostLoad(h.name(), h.labels(), h.placeable(), containers.getOrDefault(h.name(), 0), h.capacity()))
          .toList();
      try {
        String chosen = config.placement().placement().place(loads,
            new PlacementRequest(request.tenant(), poolLabels, constraints, withImage, pinned));
        BackendHost host = table.get(chosen).orElseThrow();
        return Future.succeededFuture(new Route(host, pool).toJson());
      } catch (PlacementException e) {
        return Future.failedFuture(new ApiException(e.status(), e.getMessage()));
      }
    }));
  }

  /**
   * The host where the tenant already has an object of this kind and name, if any: names are one per
   * tenant across its hosts, as on one daemon, so such a create goes to that daemon, which answers it
   * as it would (409 for a container or network name in use, the existing volume for a volume).
   */
  private Future<Optional<BackendHost>> hostOfName(PlaceRequest request, List<BackendHost> pool) {
    if (request.name().isEmpty() || request.kind() == ObjectKind.IMAGE || request.kind() == ObjectKind.EXEC) {
      return Future.succeededFuture(Optional.empty());
    }
    String backendName = ObjectKind.backendName(request.tenant(), request.name());
    Optional<BackendHost> known = index.all(request.kind()).stream()
        .filter(e -> e.tenant().equals(request.tenant()) && e.name().equals(backendName))
        .findFirst().flatMap(e -> table.get(e.host()));
    if (known.isPresent()) {
      return Future.succeededFuture(known);
    }
    return probe.find(request.tenant(), request.kind(), request.name(), pool)
        .map(found -> found.filter(e -> e.name().equals(backendName)).flatMap(e -> table.get(e.host())))
        .otherwise(Optional.empty());
  }

  /** The placeable hosts of the pool that have the image, as one the tenant may use. */
  private Future<Set<String>> hostsWithImage(String tenant, String image, List<BackendHost> pool) {
    if (image.isEmpty()) {
      return Future.succeededFuture(Set.of());
    }
    List<BackendHost> candidates = pool.stream().filter(BackendHost::placeable).toList();
    List<Future<Optional<String>>> answers = new ArrayList<>();
    for (BackendHost host : candidates) {
      answers.add(probe.find(tenant, ObjectKind.IMAGE, image, List.of(host))
          .map(found -> found.map(e -> host.name())).otherwise(Optional.empty()));
    }
    if (answers.isEmpty()) {
      return Future.succeededFuture(Set.of());
    }
    return Future.join(answers).map(v -> {
      Set<String> names = new HashSet<>();
      answers.forEach(a -> a.result().ifPresent(names::add));
      return names;
    });
  }

  /** A host's event stream ended: check it now rather than at the next tick. */
  private void onStreamLost(BackendHost host) {
    vertx.setTimer(500, t -> table.get(host.name()).ifPresent(this::checkHealth));
  }

  /** Keeps the index of an up host followed, and stops following a host that went down. */
  private void followIndex(BackendHost host) {
    if (host.state() == HostState.DOWN) {
      keeper.stop(host.name());
      return;
    }
    if (host.state() != HostState.UP || keeper.following(host.name()) || !starting.add(host.name())) {
      return;
    }
    keeper.start(host)
        .onFailure(err -> log.log(System.Logger.Level.WARNING, "cannot index the objects of backend host {0}: {1}",
            host.name(), err.getMessage()))
        .onComplete(ar -> starting.remove(host.name()));
  }

  private Future<JsonObject> register(JsonObject body) {
    BackendHost host;
    try {
      host = BackendHost.fromJson(body).withState(HostState.UNKNOWN);
    } catch (RuntimeException e) {
      return Future.failedFuture(ApiException.badRequest("invalid host registration: " + e.getMessage()));
    }
    boolean persist = !Boolean.FALSE.equals(body.getValue("persist"));
    if (!persist && stored.contains(host.name())) {
      // A configured host changed at run time (drained, re-registered): the stored record, which the
      // whole cluster shares, wins over the configuration until the host is removed.
      return Future.succeededFuture(table.get(host.name()).orElse(host).toJson());
    }
    if (!persist || store == null) {
      return registerInTable(host).map(BackendHost::toJson);
    }
    stored.add(host.name());
    return vertx.executeBlocking(() -> store.put(host)).onSuccess(v -> announceWritten())
        .compose(this::registerInTable).map(BackendHost::toJson);
  }

  private Future<JsonObject> drain(JsonObject body) {
    String name = body.getString("name", "");
    boolean draining = !Boolean.FALSE.equals(body.getValue("draining"));
    BackendHost known = table.get(name).orElse(null);
    Future<Void> persisted;
    if (store == null || known == null) {
      persisted = Future.succeededFuture();
    } else if (stored.contains(name)) {
      persisted = vertx.executeBlocking(() -> store.setDraining(name, draining)).onSuccess(v -> announceWritten()).mapEmpty();
    } else {
      // A configured host: stored from now on, so that every node (and the next start) sees the drain.
      stored.add(name);
      persisted = vertx.executeBlocking(() -> store.put(known.withState(HostState.UNKNOWN).withDraining(draining)))
          .onSuccess(v -> announceWritten()).mapEmpty();
    }
    return persisted.compose(v -> {
      BackendHost host = table.get(name).orElse(null);
      if (host == null) {
        return Future.failedFuture(ApiException.notFound("no backend host named " + name));
      }
      meters.draining(name, draining);
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
        ? vertx.executeBlocking(() -> store.remove(name)).onSuccess(v -> announceWritten())
        : Future.succeededFuture(false);
    return persisted.compose(v -> table.remove(name)
        .map(removed -> {
          forget(removed);
          return Future.succeededFuture(removed.toJson());
        })
        .orElseGet(() -> Future.failedFuture(ApiException.notFound("no backend host named " + name))));
  }

  /** Tells this node's state replicator that hosts.json changed, so the cluster has it at once. */
  private void announceWritten() {
    vertx.eventBus().publish(Addresses.STATE_FILE_WRITTEN, HostStore.FILE_NAME, new io.vertx.core.eventbus.DeliveryOptions().setLocalOnly(true));
  }

  /** A removed host: its event stream stopped, its objects dropped from the index, the fact published. */
  private void forget(BackendHost host) {
    keeper.stop(host.name());
    index.removeHost(host.name());
    meters.removed(host.name());
    log.log(System.Logger.Level.INFO, "backend host {0} ({1}) was removed", host.name(), host.uri());
    vertx.eventBus().publish(Addresses.REGISTRY_EVENTS_HOST_CHANGED, host.toJson().put("removed", true));
  }

  private Future<BackendHost> registerInTable(BackendHost host) {
    BackendHost stored = table.register(host);
    meters.registered(stored);
    vertx.eventBus().publish(Addresses.REGISTRY_EVENTS_HOST_CHANGED, stored.toJson());
    // The first verdict is awaited so that start-up can say at once whether the backend answers.
    return checkHealth(stored).map(state -> table.get(stored.name()).orElse(stored));
  }

  private Future<HostState> checkHealth(BackendHost host) {
    return health.check(host).onSuccess(state -> {
      meters.checked(host.name(), state);
      table.recordCheck(host.name(), state, config.healthFailuresBeforeDown()).ifPresent(this::announceState);
      table.get(host.name()).ifPresent(this::followIndex);
    });
  }

  private void announceState(BackendHost changed) {
    if (changed.state() == HostState.DOWN) {
      log.log(System.Logger.Level.WARNING, "backend host {0} ({1}) is not reachable; calls routed to it get 503 until it answers /_ping", changed.name(), changed.uri());
    } else {
      log.log(System.Logger.Level.INFO, "backend host {0} ({1}) is {2}", changed.name(), changed.uri(), changed.state().wireName());
    }
    vertx.eventBus().publish(Addresses.REGISTRY_EVENTS_HOST_CHANGED, changed.toJson());
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
