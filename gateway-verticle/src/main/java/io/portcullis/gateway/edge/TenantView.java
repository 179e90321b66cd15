package io.portcullis.gateway.edge;

import io.portcullis.contracts.ApiException;
import io.portcullis.contracts.BackendHost;
import io.portcullis.contracts.LocateRequest;
import io.portcullis.contracts.ObjectKind;
import io.portcullis.contracts.ObjectRecord;
import io.portcullis.contracts.PlaceRequest;
import io.portcullis.contracts.Route;
import io.portcullis.gateway.classify.ApiCall;
import io.portcullis.gateway.ownership.InTurn;
import io.portcullis.gateway.ownership.ObjectGuard;
import io.portcullis.gateway.ownership.Ownership;
import io.portcullis.gateway.ownership.TenantNames;
import io.portcullis.gateway.rewrite.JsonLines;
import io.portcullis.gateway.rewrite.RequestRewrites;
import io.portcullis.gateway.rewrite.RequestTargets;
import io.portcullis.gateway.rewrite.ResponseRewrites;
import io.vertx.core.Future;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * One call as the tenant makes it and as the backend must see it: the query and body checked and moved
 * into the tenant's namespace before forwarding, and the answer brought back into the tenant's view.
 * The path's object was already resolved by the ownership guard; this covers everything else a call
 * names (query parameters, body fields) and what its answer shows.
 */
final class TenantView {
  /** Calls whose JSON body is read, checked and rewritten before it is forwarded. */
  private static final Set<String> READS_BODY = Set.of("containers.create", "containers.update", "exec.create",
      "volumes.create", "networks.create", "networks.connect", "networks.disconnect", "system.auth");

  private final EdgeServices services;
  /** The tenant's hosts; null or one host: the call concerns that host alone. */
  private final Route route;
  private final ApiCall call;
  private final String tenant;
  private final TenantNames names;
  private UnaryOperator<Object> responseRewrite;
  private io.vertx.core.Promise<Void> createFinished;
  /** The backend name of the object this call creates, once known (for the registry's index). */
  private String createdName = "";

  TenantView(EdgeServices services, ApiCall call, String tenant) {
    this(services, call, tenant, null);
  }

  TenantView(EdgeServices services, ApiCall call, String tenant, Route route) {
    this.services = services;
    this.route = route;
    this.call = call;
    this.tenant = tenant;
    this.names = new TenantNames(tenant);
    this.responseRewrite = staticResponseRewrite();
  }

  boolean readsBody() {
    return READS_BODY.contains(call.family());
  }

  /** Rewrites a whole JSON answer (null: the answer passes as it is). */
  UnaryOperator<Object> responseRewrite() {
    return responseRewrite;
  }

  private boolean multiHost() {
    return route != null && route.multiHost();
  }

  /**
   * As {@link #responseRewrite()}, for an answer from {@code host}; when the tenant spans hosts, a
   * create's answer also tells the registry's index where the new object is, before the client can
   * name it in its next call.
   */
  UnaryOperator<Object> responseRewrite(BackendHost host) {
    ObjectKind created = multiHost() ? CREATES.get(call.family()) : null;
    if (created == null) {
      return responseRewrite;
    }
    UnaryOperator<Object> then = responseRewrite == null ? json -> json : responseRewrite;
    return json -> {
      if (json instanceof JsonObject answer) {
        String id = answer.getValue(created == ObjectKind.VOLUME ? "Name" : "Id") instanceof String s ? s : "";
        String name = created == ObjectKind.VOLUME ? id : createdName;
        if (!id.isEmpty()) {
          services.registry().record(new ObjectRecord(created, id, name, tenant, host.name()));
        }
      }
      return then.apply(json);
    };
  }

  /**
   * The named volumes a container create claimed (created now if missing) are on its host: told to
   * the index at once, so that the tenant's next container using them is placed there too, even
   * before the host's event stream says so.
   */
  private void recordVolumes(List<String> volumes, BackendHost host) {
    if (multiHost()) {
      volumes.forEach(v -> services.registry().record(new ObjectRecord(ObjectKind.VOLUME, v, v, tenant, host.name())));
    }
  }

  private static final java.util.Map<String, ObjectKind> CREATES = java.util.Map.of(
      "containers.create", ObjectKind.CONTAINER, "volumes.create", ObjectKind.VOLUME,
      "networks.create", ObjectKind.NETWORK, "exec.create", ObjectKind.EXEC);

  /** What placement needs of a container create, and the body to forward (constraints taken out of it). */
  record CreatePlacement(PlaceRequest request, JsonObject body) {}

  /**
   * Placement of a create across hosts, from its body (and, for a container, the {@code name} in the
   * query): the name (a name the tenant already uses decides the host); for a container also its image,
   * its named volumes and networks (backend names), and its constraints, written as Swarm classic took
   * them: {@code -e constraint:EXPR} (removed from the environment) or the label
   * {@code com.docker.swarm.constraints} (a JSON list).
   */
  CreatePlacement placementOf(JsonObject given, String target) {
    JsonObject body;
    try {
      body = io.portcullis.gateway.policy.DockerJsonKeys.canonical(given);
    } catch (RuntimeException e) {
      throw e instanceof ApiException ? e : ApiException.badRequest(e.getMessage());
    }
    if (!call.family().equals("containers.create")) {
      ObjectKind kind = call.family().equals("volumes.create") ? ObjectKind.VOLUME : ObjectKind.NETWORK;
      String name = body.getValue("Name") instanceof String n ? n : "";
      return new CreatePlacement(new PlaceRequest(tenant, kind, "", List.of(), List.of(), List.of(), name), body);
    }
    List<String> constraints = new java.util.ArrayList<>();
    if (body.getValue("Env") instanceof JsonArray env) {
      JsonArray kept = new JsonArray();
      for (Object entry : env) {
        if (entry instanceof String s && s.startsWith("constraint:")) {
          constraints.add(s.substring("constraint:".length()));
        } else {
          kept.add(entry);
        }
      }
      body.put("Env", kept);
    }
    if (body.getValue("Labels") instanceof JsonObject labels && labels.getValue(SWARM_CONSTRAINTS) instanceof String list) {
      try {
        new JsonArray(list).forEach(c -> constraints.add(String.valueOf(c)));
      } catch (RuntimeException e) {
        throw ApiException.badRequest("label " + SWARM_CONSTRAINTS + " must be a JSON list of constraints: " + list);
      }
    }
    JsonObject mapped = RequestRewrites.containerCreate(body.copy(), names);
    String image = mapped.getValue("Image") instanceof String i ? i : "";
    String name = RequestTargets.first(RequestTargets.parameters(target), "name");
    return new CreatePlacement(new PlaceRequest(tenant, ObjectKind.CONTAINER, image, constraints,
        Ownership.namedVolumes(mapped), RequestRewrites.networks(mapped), name.startsWith("/") ? name.substring(1) : name), body);
  }

  private static final String SWARM_CONSTRAINTS = "com.docker.swarm.constraints";

  /** A daemon's error answer ({@code {"message": ...}}) in the tenant's words (its names unprefixed). */
  UnaryOperator<Object> errorRewrite() {
    return json -> {
      if (json instanceof JsonObject error && error.getValue("message") instanceof String message) {
        error.put("message", names.fromBackendText(message));
      }
      return json;
    };
  }

  /** A rewriter for a stream of JSON events, or null when the answer is not one. */
  JsonLines eventLines() {
    return switch (call.family()) {
      case "system.events" -> new JsonLines(event -> ResponseRewrites.tenantEvent(event, tenant, names));
      case "containers.stats" -> new JsonLines(stats -> ResponseRewrites.stats(stats, names));
      default -> null;
    };
  }

  /** The request target to forward, after the checks its parameters need (some ask the backend). */
  Future<String> prepareTarget(String target, BackendHost host) {
    String family = call.family();
    String mapped;
    try {
      var params = RequestTargets.parameters(target);
      if (family.equals("images.build")) {
        services.creates().checkBuild(tenant, params);
        for (var limit : services.quotas().buildLimits(tenant, params).entrySet()) {
          target = RequestTargets.replaceParameter(target, limit.getKey(), limit.getValue());
        }
      } else if (family.equals("images.pull")) {
        services.creates().checkImageCreate(tenant, params);
        services.creates().checkRegistry(tenant, RequestTargets.first(params, "fromImage"), "fromImage");
      } else if (family.equals("images.push")) {
        services.creates().checkRegistry(tenant, call.objectId(), "name");
      }
      mapped = RequestTargets.forTenant(family, target, tenant);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(ApiException.badRequest(e.getMessage()));
    } catch (ApiException e) {
      return Future.failedFuture(e);
    }
    ObjectGuard guard = services.ownership();
    List<String> newNames = RequestTargets.newImageNames(family, mapped);
    return switch (family) {
      case "containers.create" -> {
        createdName = RequestTargets.first(RequestTargets.parameters(mapped), "name");
        yield (createFinished == null ? enterCreateQueue(host) : Future.<Void>succeededFuture())
            .compose(v -> guard.checkContainerQuota(tenant, services.quotas().quotasFor(tenant).maxContainers(), liveHosts(host)))
            .map(mapped);
      }
      case "images.build", "images.tag", "images.pull" -> tagsFree(newNames, host).map(mapped);
      case "images.commit" -> guard.containerId(tenant, RequestTargets.first(RequestTargets.parameters(mapped), "container"), host)
          .compose(id -> tagsFree(newNames, host).map(RequestTargets.replaceParameter(mapped, "container", id)));
      case "containers.rename" -> nameFreeElsewhere(RequestTargets.first(RequestTargets.parameters(target), "name"), host).map(mapped);
      case "images.save" -> call.objectId() != null ? Future.succeededFuture(mapped) : imagesVisible(mapped, host);
      case "images.push" -> pushVisible(mapped, host);
      case "system.info" -> guard.counts(tenant, host).map(counts -> {
        responseRewrite = json -> ResponseRewrites.info((JsonObject) json, counts, "portcullis");
        return mapped;
      });
      default -> Future.succeededFuture(mapped);
    };
  }

  /**
   * Waits for this tenant's earlier creates to be answered (see {@link CreateQueue}): on the host, or,
   * when the tenant spans hosts, anywhere (placement then sees the earlier ones too).
   */
  Future<Void> enterCreateQueue(BackendHost host) {
    ContextInternal context = (ContextInternal) io.vertx.core.Vertx.currentContext();
    createFinished = context.promise();
    return CreateQueue.enter(multiHost() || host == null ? tenant : tenant + "@" + host.name(), context, createFinished.future());
  }

  /**
   * The names a new image takes must be free on every host of the tenant's (not another tenant's image
   * there): else the same name would mean another tenant's image on one host and the tenant's on another.
   */
  private Future<Void> tagsFree(List<String> newNames, BackendHost host) {
    List<Future<Void>> checks = liveHosts(host).stream()
        .map(h -> services.ownership().checkTagsFree(tenant, newNames, h)).toList();
    return Future.all(checks).mapEmpty();
  }

  /**
   * A container name is one per tenant across its hosts, as on one daemon: renaming to a name that one
   * of the tenant's containers on another host has is Docker's 409 (on the same host the daemon says it).
   */
  private Future<Void> nameFreeElsewhere(String newName, BackendHost host) {
    String name = newName.startsWith("/") ? newName.substring(1) : newName;
    if (!multiHost() || name.isEmpty()) {
      return Future.succeededFuture();
    }
    String backendName = names.toBackend(name);
    return services.registry().find(new LocateRequest(tenant, ObjectKind.CONTAINER, name, false))
        .compose(found -> found.isPresent() && found.get().name().equals(backendName) && !found.get().host().name().equals(host.name())
            ? Future.failedFuture(new ApiException(409, "Conflict. The container name \"/" + name + "\" is already in use by container \""
                + found.get().id() + "\". You have to remove (or rename) that container to be able to reuse that name."))
            : Future.<Void>succeededFuture());
  }

  /**
   * A network is one host's: a container on another host of the tenant's cannot join it. Said so,
   * rather than the "No such container" the network's host would answer.
   */
  private Future<Void> onSameHost(String container, BackendHost networkHost) {
    if (!multiHost() || container.isEmpty()) {
      return Future.succeededFuture();
    }
    return services.registry().find(new LocateRequest(tenant, ObjectKind.CONTAINER, container, false))
        .compose(found -> found.isEmpty() || found.get().host().name().equals(networkHost.name())
            ? Future.<Void>succeededFuture()
            : Future.<Void>failedFuture(new ApiException(409, "network " + names.fromBackend(call.objectId()) + " is on host "
                + networkHost.name() + " and container " + container + " on host " + found.get().host().name()
                + ": a container joins only networks on its own host (create the network with the container, or the container with --network)")));
  }

  /** The hosts a check spans: all the tenant's hosts that are not down, or this one. */
  private List<BackendHost> liveHosts(BackendHost host) {
    return multiHost()
        ? route.hosts().stream().filter(h -> h.state() != BackendHost.HostState.DOWN).toList()
        : List.of(host);
  }

  /** The exchange is over (answered, failed or abandoned): the next create of the tenant may go. */
  void finished() {
    if (createFinished != null) {
      createFinished.tryComplete();
    }
  }

  /** The body to forward for a call that {@link #readsBody() reads its body}, checked and mapped. */
  Future<JsonObject> prepareBody(JsonObject given, BackendHost host) {
    ObjectGuard guard = services.ownership();
    try {
      JsonObject body = io.portcullis.gateway.policy.DockerJsonKeys.canonical(given);
      switch (call.family()) {
        case "containers.create": {
          services.creates().checkContainerCreate(tenant, body);
          services.quotas().applyToCreate(tenant, body);
          JsonObject mapped = Ownership.stamp(RequestRewrites.withNameAlias(RequestRewrites.containerCreate(body, names),
              names.fromBackend(createdName)), tenant);
          String image = mapped.getValue("Image") instanceof String i ? i : "";
          List<String> volumes = Ownership.namedVolumes(mapped);
          return imageVisible(image, host)
              .compose(v -> guard.claimVolumes(tenant, volumes, host))
              .onSuccess(v -> recordVolumes(volumes, host))
              .compose(v -> guard.checkNetworks(tenant, RequestRewrites.networks(mapped), host))
              .map(mapped);
        }
        case "system.auth":
          services.creates().checkRegistry(tenant, body.getValue("serveraddress") instanceof String a && !a.isEmpty()
              ? a : "docker.io", "serveraddress");
          return Future.succeededFuture(body);
        case "containers.update":
          services.quotas().checkUpdate(tenant, body);
          return Future.succeededFuture(body);
        case "volumes.create":
          services.creates().checkVolumeCreate(tenant, body);
          return Future.succeededFuture(Ownership.stamp(RequestRewrites.named(body, names), tenant));
        case "networks.create": {
          services.creates().checkNetworkCreate(tenant, body);
          JsonObject mapped = Ownership.stamp(RequestRewrites.named(body, names), tenant);
          createdName = mapped.getValue("Name") instanceof String n ? n : "";
          return Future.succeededFuture(mapped);
        }
        case "networks.connect":
        case "networks.disconnect": {
          services.creates().checkEndpoint(body.getValue("EndpointConfig") instanceof JsonObject e ? e : new JsonObject(),
              "EndpointConfig");
          String container = body.getValue("Container") instanceof String s ? s : "";
          return onSameHost(container, host)
              .compose(v -> guard.containerId(tenant, container, host))
              .map(id -> body.put("Container", id));
        }
        default:
          services.creates().checkExecCreate(tenant, body);
          return Future.succeededFuture(body);
      }
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  /**
   * A container may be created only from an image the tenant may see (shared or its own). A missing
   * image passes: the daemon answers its own 404 and the CLI pulls it (a pull that may not move
   * another tenant's tag, see prepareTarget).
   */
  private Future<Void> imageVisible(String image, BackendHost host) {
    return image.isEmpty() ? Future.succeededFuture() : services.ownership().checkImageVisible(tenant, image, host, true);
  }

  /**
   * {@code POST /images/{name}/push?tag=t}: the image pushed must be visible to the tenant. Without a
   * tag the daemon pushes every tag of the repository, which cannot be checked one by one in advance.
   */
  private Future<String> pushVisible(String target, BackendHost host) {
    String tag = RequestTargets.first(RequestTargets.parameters(target), "tag");
    if (tag.isEmpty()) {
      return Future.failedFuture(ApiException.badRequest("pushing every tag of a repository at once is not available"
          + " through this gateway; push one tag at a time"));
    }
    return services.ownership().checkImageVisible(tenant, call.objectId() + ":" + tag, host, false).map(target);
  }

  /** {@code GET /images/get?names=...}: every image exported must be visible to the tenant. */
  private Future<String> imagesVisible(String target, BackendHost host) {
    List<String> names = RequestTargets.parameters(target).getOrDefault("names", List.of());
    return InTurn.each(names, name -> services.ownership().checkImageVisible(tenant, name, host, false)).map(target);
  }

  private UnaryOperator<Object> staticResponseRewrite() {
    return switch (call.family()) {
      case "containers.list" -> json -> ResponseRewrites.containerList((JsonArray) json, names);
      case "containers.inspect" -> json -> ResponseRewrites.containerInspect((JsonObject) json, names);
      case "volumes.list" -> json -> ResponseRewrites.volumeList((JsonObject) json, names);
      case "volumes.inspect", "volumes.create" -> json -> ResponseRewrites.volume((JsonObject) json, names);
      case "networks.list" -> json -> ResponseRewrites.networkList((JsonArray) json, names);
      case "networks.inspect" -> json -> ResponseRewrites.network((JsonObject) json, names);
      case "images.list" -> json -> ResponseRewrites.imageList((JsonArray) json, tenant);
      case "system.df" -> json -> ResponseRewrites.systemDf((JsonObject) json, tenant, names);
      case "volumes.prune", "networks.prune" -> json -> ResponseRewrites.pruneReport((JsonObject) json, names);
      default -> null;
    };
  }
}
