package io.portcullis.gateway.ownership;

import io.portcullis.contracts.ApiException;
import io.portcullis.contracts.BackendHost;
import io.portcullis.gateway.classify.ApiCall;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

/**
 * Before an object-addressed call is forwarded, the object must be the tenant's: the reference is
 * resolved by the daemon itself (full ID, unique prefix or name, exactly as Docker resolves it) and its
 * owner label compared. Another tenant's object and a missing one get the same 404, so nothing leaks;
 * any failure to decide refuses the call.
 */
public final class OwnershipGuard implements ObjectGuard {
  private static final Set<String> UNADDRESSED = Set.of("containers.create", "containers.list", "containers.prune");

  private static final java.util.regex.Pattern FULL_ID = java.util.regex.Pattern.compile("[0-9a-f]{64}");
  private static final int MAX_KNOWN_OWNERS = 10_000;

  private final BackendInspector inspector;
  /**
   * Owners of containers by full ID, as learnt from inspects: an ID never changes hands, so a call by
   * full ID (what the docker CLI uses after create: attach, wait, start) needs one inspect, not one per
   * call. Names and prefixes are always resolved by the daemon. One guard per event loop: no locking.
   */
  private final java.util.Map<String, String> ownerById = new java.util.LinkedHashMap<>(256, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(java.util.Map.Entry<String, String> eldest) {
      return size() > MAX_KNOWN_OWNERS;
    }
  };

  public OwnershipGuard(BackendInspector inspector) {
    this.inspector = inspector;
  }

  @Override
  public Future<String> check(String tenant, ApiCall call, BackendHost host) {
    String family = call.family();
    if (call.objectId() == null) {
      return Future.succeededFuture(null);
    }
    if ((family.startsWith("containers.") && !UNADDRESSED.contains(family)) || family.equals("exec.create")) {
      return containerOwned(tenant, call.objectId(), host);
    }
    if (family.equals("volumes.inspect") || family.equals("volumes.update") || family.equals("volumes.remove")) {
      return volumeOwned(tenant, call.objectId(), host).map(v -> null);
    }
    if (family.equals("exec.start") || family.equals("exec.resize") || family.equals("exec.inspect")) {
      String id = call.objectId();
      return inspector.inspect(host, "/exec/" + encode(id) + "/json").compose(exec -> {
        if (exec == null) {
          return Future.failedFuture(ApiException.notFound("No such exec instance: " + id));
        }
        return containerOwned(tenant, exec.getString("ContainerID", ""), host)
            .<String>map(ownerContainer -> null)
            .recover(err -> Future.failedFuture(err instanceof ApiException api && api.status() == 404
                ? ApiException.notFound("No such exec instance: " + id) : err));
      });
    }
    return Future.succeededFuture(null);
  }

  @Override
  public Future<Void> claimVolumes(String tenant, List<String> names, BackendHost host) {
    Future<Void> all = Future.succeededFuture();
    for (String name : names) {
      // 409, not 404: the docker CLI takes a 404 from create for a missing image and starts a pull.
      all = all.compose(v -> inspector.inspect(host, "/volumes/" + encode(name)).compose(volume -> {
        if (volume == null) {
          return inspector.createVolume(host, name, tenant).compose(created -> created != null
              && Ownership.ownedBy(created.getJsonObject("Labels"), tenant)
              ? Future.<Void>succeededFuture()
              : Future.failedFuture(volumeTaken(name)));
        }
        return Ownership.ownedBy(volume.getJsonObject("Labels"), tenant)
            ? Future.<Void>succeededFuture()
            : Future.failedFuture(volumeTaken(name));
      }));
    }
    return all;
  }

  private static ApiException volumeTaken(String name) {
    return new ApiException(409, "volume name " + name + " is not available to you (it belongs to someone else on this host)");
  }

  private Future<Void> volumeOwned(String tenant, String name, BackendHost host) {
    return inspector.inspect(host, "/volumes/" + encode(name)).compose(volume ->
        volume != null && Ownership.ownedBy(volume.getJsonObject("Labels"), tenant)
            ? Future.<Void>succeededFuture()
            : Future.failedFuture(ApiException.notFound("No such volume: " + name)));
  }

  private Future<String> containerOwned(String tenant, String ref, BackendHost host) {
    String key = host.name() + "/" + ref;
    if (FULL_ID.matcher(ref).matches() && tenant.equals(ownerById.get(key))) {
      return Future.succeededFuture(ref);
    }
    return inspector.inspect(host, "/containers/" + encode(ref) + "/json").compose(container -> {
      JsonObject labels = container == null ? null : container.getJsonObject("Config", new JsonObject()).getJsonObject("Labels");
      if (container == null || !Ownership.ownedBy(labels, tenant)) {
        return Future.failedFuture(ApiException.notFound("No such container: " + ref));
      }
      String id = container.getString("Id");
      ownerById.put(host.name() + "/" + id, tenant);
      return Future.succeededFuture(id);
    });
  }

  private static String encode(String segment) {
    return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
