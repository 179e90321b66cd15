package io.portcullis.gateway.ownership;

import io.portcullis.contracts.ApiException;
import io.portcullis.contracts.BackendHost;
import io.portcullis.gateway.classify.ApiCall;
import io.portcullis.gateway.rewrite.ResponseRewrites.TenantCounts;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Before an object-addressed call is forwarded, the object must be the tenant's: the reference is
 * resolved by the daemon itself (full ID, unique prefix or name, exactly as Docker resolves it, the
 * tenant's own name tried first) and its owner label compared. Another tenant's object and a missing
 * one get the same 404, so nothing leaks; any failure to decide refuses the call.
 */
public final class OwnershipGuard implements ObjectGuard {
  private static final Set<String> UNADDRESSED = Set.of("containers.create", "containers.list", "containers.prune");
  private static final Set<String> VOLUME_CALLS = Set.of("volumes.inspect", "volumes.update", "volumes.remove");
  private static final Set<String> NETWORK_CALLS = Set.of("networks.inspect", "networks.remove", "networks.connect", "networks.disconnect");
  private static final Set<String> EXEC_CALLS = Set.of("exec.start", "exec.resize", "exec.inspect");
  /**
   * Image calls that read an image: shared images and the tenant's own are visible. A push names its
   * tag in the query, so the edge checks it with the tag ({@code TenantView}).
   */
  private static final Set<String> IMAGE_READS = Set.of("images.inspect", "images.history", "images.save");
  /** Image calls that change an image: only the tenant's own (built or committed). */
  private static final Set<String> IMAGE_WRITES = Set.of("images.remove", "images.tag");

  private static final Pattern FULL_ID = Pattern.compile("[0-9a-f]{64}");
  private static final int MAX_KNOWN_OWNERS = 10_000;

  private final BackendInspector inspector;
  /**
   * Owners of containers by full ID, as learnt from inspects: an ID never changes hands, so a call by
   * full ID (what the docker CLI uses after create: attach, wait, start) needs one inspect, not one per
   * call. Names and prefixes are always resolved by the daemon. One guard per event loop: no locking.
   */
  private final Map<String, String> ownerById = new LinkedHashMap<>(256, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
      return size() > MAX_KNOWN_OWNERS;
    }
  };

  public OwnershipGuard(BackendInspector inspector) {
    this.inspector = inspector;
  }

  @Override
  public Future<String> check(String tenant, ApiCall call, BackendHost host) {
    String family = call.family();
    String ref = call.objectId();
    if (ref == null) {
      return Future.succeededFuture(null);
    }
    if ((family.startsWith("containers.") && !UNADDRESSED.contains(family)) || family.equals("exec.create")) {
      return containerId(tenant, ref, host);
    }
    if (VOLUME_CALLS.contains(family)) {
      return volumeOwned(tenant, ref, host);
    }
    if (NETWORK_CALLS.contains(family)) {
      return networkOwned(tenant, ref, host, family.equals("networks.inspect"));
    }
    if (EXEC_CALLS.contains(family)) {
      return inspector.inspect(host, "/exec/" + encode(ref) + "/json").compose(exec -> {
        if (exec == null) {
          return Future.failedFuture(ApiException.notFound("No such exec instance: " + ref));
        }
        return containerId(tenant, exec.getString("ContainerID", ""), host)
            .<String>map(ownerContainer -> null)
            .recover(err -> Future.failedFuture(err instanceof ApiException api && api.status() == 404
                ? ApiException.notFound("No such exec instance: " + ref) : err));
      });
    }
    if (IMAGE_READS.contains(family) || IMAGE_WRITES.contains(family)) {
      return image(tenant, ref, host, IMAGE_WRITES.contains(family), false).map(image -> null);
    }
    return Future.succeededFuture(null);
  }

  @Override
  public Future<String> containerId(String tenant, String ref, BackendHost host) {
    if (ref == null || ref.isEmpty()) {
      return Future.failedFuture(ApiException.badRequest("a container must be named"));
    }
    if (FULL_ID.matcher(ref).matches() && tenant.equals(ownerById.get(host.name() + "/" + ref))) {
      return Future.succeededFuture(ref);
    }
    return resolveContainer(tenant, ref, host).compose(container -> {
      JsonObject labels = container == null ? null : container.getJsonObject("Config", new JsonObject()).getJsonObject("Labels");
      if (container == null || !Ownership.ownedBy(labels, tenant)) {
        return Future.failedFuture(ApiException.notFound("No such container: " + ref));
      }
      String id = container.getString("Id");
      ownerById.put(host.name() + "/" + id, tenant);
      return Future.succeededFuture(id);
    });
  }

  @Override
  public Future<Void> claimVolumes(String tenant, List<String> backendNames, BackendHost host) {
    // 409, not 404: the docker CLI takes a 404 from create for a missing image and starts a pull.
    return InTurn.each(backendNames, name -> inspector.inspect(host, "/volumes/" + encode(name)).compose(volume -> {
      if (volume == null) {
        return inspector.createVolume(host, name, tenant).compose(created -> created != null
            && Ownership.ownedBy(created.getJsonObject("Labels"), tenant)
            ? Future.<Void>succeededFuture()
            : Future.failedFuture(volumeTaken(tenant, name)));
      }
      return Ownership.ownedBy(volume.getJsonObject("Labels"), tenant)
          ? Future.<Void>succeededFuture()
          : Future.failedFuture(volumeTaken(tenant, name));
    }));
  }

  @Override
  public Future<Void> checkNetworks(String tenant, List<String> backendNames, BackendHost host) {
    // 400, not 404, for the same reason as volumes: a 404 from create makes the CLI pull the image.
    return InTurn.each(backendNames, name -> inspector.inspect(host, "/networks/" + encode(name)).compose(network ->
        network != null && Ownership.ownedBy(network.getJsonObject("Labels"), tenant)
            ? Future.<Void>succeededFuture()
            : Future.failedFuture(ApiException.badRequest("network " + new TenantNames(tenant).fromBackend(name) + " not found"))));
  }

  @Override
  public Future<Void> checkTagsFree(String tenant, List<String> imageRefs, BackendHost host) {
    return InTurn.each(imageRefs, ref -> inspector.inspect(host, "/images/" + encode(ref) + "/json").compose(image ->
        image == null || Ownership.ownedBy(imageLabels(image), tenant)
            ? Future.<Void>succeededFuture()
            : Future.failedFuture(new ApiException(409, "the image name " + ref
                + " belongs to an image you did not build or commit; choose another name"))));
  }

  @Override
  public Future<Void> checkContainerQuota(String tenant, long maxContainers, List<BackendHost> hosts) {
    if (maxContainers <= 0) {
      return Future.succeededFuture();
    }
    List<Future<JsonArray>> lists = hosts.stream().map(host -> ownContainers(tenant, host)).toList();
    return Future.all(lists).compose(all -> {
      int count = lists.stream().mapToInt(l -> l.result().size()).sum();
      return count < maxContainers
          ? Future.<Void>succeededFuture()
          : Future.failedFuture(new ApiException(409, "container quota reached: you have " + count
              + " containers and may have at most " + maxContainers + " (remove some first)").byRule("quota:maxContainers"));
    });
  }

  @Override
  public Future<Void> checkImageVisible(String tenant, String ref, BackendHost host, boolean missingAllowed) {
    return image(tenant, ref, host, false, missingAllowed).mapEmpty();
  }

  @Override
  public Future<TenantCounts> counts(String tenant, BackendHost host) {
    Future<JsonArray> containers = ownContainers(tenant, host);
    Future<JsonArray> images = inspector.list(host, "/images/json");
    return Future.all(containers, images).map(v -> TenantCounts.of(containers.result(), images.result(), tenant));
  }

  private Future<JsonArray> ownContainers(String tenant, BackendHost host) {
    return inspector.list(host, Ownership.scopeFilters("/containers/json?all=1", tenant));
  }

  private static ApiException volumeTaken(String tenant, String name) {
    return new ApiException(409, "volume name " + new TenantNames(tenant).fromBackend(name)
        + " is not available to you (it belongs to someone else on this host)");
  }

  private Future<String> volumeOwned(String tenant, String ref, BackendHost host) {
    return resolve(tenant, ref, r -> "/volumes/" + encode(r), host).compose(volume ->
        volume != null && Ownership.ownedBy(volume.getJsonObject("Labels"), tenant)
            ? Future.succeededFuture(volume.getString("Name"))
            : Future.failedFuture(ApiException.notFound("No such volume: " + ref)));
  }

  /** The daemon's own networks may be inspected by anyone; every other network only by its owner. */
  private Future<String> networkOwned(String tenant, String ref, BackendHost host, boolean readOnly) {
    if (TenantNames.BUILTIN_NETWORKS.contains(ref) && readOnly) {
      return Future.succeededFuture(ref);
    }
    return resolve(tenant, ref, r -> "/networks/" + encode(r), host).compose(network ->
        network != null && Ownership.ownedBy(network.getJsonObject("Labels"), tenant)
            ? Future.succeededFuture(network.getString("Id"))
            : Future.failedFuture(ApiException.notFound("network " + ref + " not found")));
  }

  /**
   * An image is visible when it is shared (no owner) or the tenant's; it may be changed (removed,
   * retagged) only when it is the tenant's. Another tenant's image is "No such image", as if absent.
   */
  private Future<JsonObject> image(String tenant, String ref, BackendHost host, boolean change, boolean missingAllowed) {
    return inspector.inspect(host, "/images/" + encode(ref) + "/json").compose(image -> {
      if (image == null && missingAllowed) {
        return Future.succeededFuture();
      }
      JsonObject labels = image == null ? null : imageLabels(image);
      boolean shared = image != null && Ownership.isShared(labels, image.getValue("RepoTags"));
      if (image == null || !(shared || Ownership.ownedBy(labels, tenant))) {
        return Future.failedFuture(ApiException.notFound("No such image: " + ref));
      }
      if (change && shared) {
        return Future.failedFuture(ApiException.forbidden("image " + ref
            + " is shared by every tenant of this host; you may remove or retag only images you built or committed"));
      }
      return Future.succeededFuture(image);
    });
  }

  private static JsonObject imageLabels(JsonObject image) {
    return image.getValue("Config") instanceof JsonObject config && config.getValue("Labels") instanceof JsonObject l ? l : null;
  }

  private static final Pattern HEX = Pattern.compile("[0-9a-f]{1,63}");

  /**
   * A container as the tenant means it: its full ID, its own name, then an ID prefix resolved among the
   * tenant's containers only (the daemon would resolve it among every tenant's, and another tenant's
   * container sharing the prefix would make it ambiguous or, worse, decide it), then a name the daemon
   * generated. A prefix two of the tenant's containers share is Docker's 400 "multiple IDs found".
   */
  private Future<JsonObject> resolveContainer(String tenant, String ref, BackendHost host) {
    Function<String, String> inspect = r -> "/containers/" + encode(r) + "/json";
    if (FULL_ID.matcher(ref).matches()) {
      return inspector.inspect(host, inspect.apply(ref));
    }
    return inspector.inspect(host, inspect.apply(new TenantNames(tenant).toBackend(ref))).compose(named -> {
      if (named != null) {
        return Future.succeededFuture(named);
      }
      if (!HEX.matcher(ref).matches()) {
        return inspector.inspect(host, inspect.apply(ref));
      }
      // The tenant's containers, matched here: the daemon's own id filter resolves a lone value as a
      // reference, and answers nothing when the prefix is ambiguous among every tenant's containers.
      return ownContainers(tenant, host).map(own -> {
        JsonArray matches = new JsonArray();
        own.forEach(c -> {
          if (c instanceof JsonObject container && container.getString("Id", "").startsWith(ref)) {
            matches.add(container);
          }
        });
        return matches;
      }).compose(matches -> {
        if (matches.size() > 1) {
          return Future.failedFuture(ApiException.badRequest("multiple IDs found with provided prefix: " + ref));
        }
        return matches.isEmpty() ? Future.succeededFuture(null)
            : inspector.inspect(host, inspect.apply(matches.getJsonObject(0).getString("Id")));
      });
    });
  }

  /**
   * Looks an object up the way the tenant means it: by its own name first (the backend knows it as
   * {@code tenant.name}), then as given (a full ID, an ID prefix, or a name the daemon generated).
   */
  private Future<JsonObject> resolve(String tenant, String ref, Function<String, String> path, BackendHost host) {
    if (FULL_ID.matcher(ref).matches()) {
      return inspector.inspect(host, path.apply(ref));
    }
    return inspector.inspect(host, path.apply(new TenantNames(tenant).toBackend(ref)))
        .compose(found -> found != null ? Future.succeededFuture(found) : inspector.inspect(host, path.apply(ref)));
  }

  private static String encode(String segment) {
    return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
