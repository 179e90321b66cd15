package io.portcullis.gateway.rewrite;

import io.portcullis.gateway.ownership.Ownership;
import io.portcullis.gateway.ownership.TenantNames;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Response bodies shown in a tenant's view: backend names mapped back to the tenant's names, other
 * tenants' objects left out, host details a tenant has no business seeing removed.
 */
public final class ResponseRewrites {
  private ResponseRewrites() {}

  /** {@code GET /containers/json}: the daemon already filtered by owner; names are mapped back. */
  public static JsonArray containerList(JsonArray containers, TenantNames names) {
    for (Object c : containers) {
      if (c instanceof JsonObject container) {
        // A Names that is not a list (no daemon sends one) is shown as none rather than failing the answer.
        container.put("Names", mapAll(container.getValue("Names") instanceof JsonArray given ? given : null, names));
        mapVolumesAndNetworks(container, names);
      }
    }
    return containers;
  }

  /** {@code GET /containers/{id}/json}. */
  public static JsonObject containerInspect(JsonObject container, TenantNames names) {
    if (container.getValue("Name") instanceof String name) {
      container.put("Name", names.fromBackend(name));
    }
    mapVolumesAndNetworks(container, names);
    JsonObject host = object(container, "HostConfig");
    if (host.getValue("Binds") instanceof JsonArray binds) {
      host.put("Binds", mapAll(binds, names));
    }
    return container;
  }

  /** {@code GET /volumes}: {@code {"Volumes": [...], "Warnings": [...]}}. */
  public static JsonObject volumeList(JsonObject list, TenantNames names) {
    if (list.getValue("Volumes") instanceof JsonArray volumes) {
      volumes.forEach(v -> volume(v instanceof JsonObject o ? o : new JsonObject(), names));
    }
    return list;
  }

  /** {@code GET /volumes/{name}} and the answer to a volume create. */
  /**
   * A prune report ({@code VolumesDeleted}, {@code NetworksDeleted}: names) in the tenant's names; IDs
   * and image references in other reports pass as they are.
   */
  public static JsonObject pruneReport(JsonObject report, TenantNames names) {
    for (String key : java.util.List.of("VolumesDeleted", "NetworksDeleted")) {
      if (report.getValue(key) instanceof JsonArray deleted) {
        JsonArray shown = new JsonArray();
        deleted.forEach(name -> shown.add(name instanceof String s ? names.fromBackend(s) : name));
        report.put(key, shown);
      }
    }
    return report;
  }

  public static JsonObject volume(JsonObject volume, TenantNames names) {
    if (volume.getValue("Name") instanceof String name) {
      volume.put("Name", names.fromBackend(name));
    }
    return volume;
  }

  /** {@code GET /networks}. */
  public static JsonArray networkList(JsonArray networks, TenantNames names) {
    networks.forEach(n -> network(n instanceof JsonObject o ? o : new JsonObject(), names));
    return networks;
  }

  /**
   * {@code GET /networks/{id}}: its name and the names of the containers attached. The daemon's own
   * networks (none, bridge...) are everyone's: the containers on them are not shown.
   */
  public static JsonObject network(JsonObject network, TenantNames names) {
    if (network.getValue("Name") instanceof String n && TenantNames.BUILTIN_NETWORKS.contains(n)) {
      network.put("Containers", new JsonObject());
    }
    if (network.getValue("Name") instanceof String name) {
      network.put("Name", names.fromBackend(name));
    }
    JsonObject containers = object(network, "Containers");
    for (String id : containers.fieldNames()) {
      if (containers.getValue(id) instanceof JsonObject endpoint && endpoint.getValue("Name") instanceof String name) {
        endpoint.put("Name", names.fromBackend(name));
      }
    }
    return network;
  }

  /** {@code GET /images/json}: the shared images (no owner) and the tenant's own. */
  public static JsonArray imageList(JsonArray images, String tenant) {
    JsonArray kept = new JsonArray();
    for (Object i : images) {
      if (i instanceof JsonObject image && visibleTo(image.getValue("Labels"), image.getValue("RepoTags"), tenant)) {
        kept.add(image);
      }
    }
    return kept;
  }

  /**
   * {@code GET /system/df}: only the tenant's containers and volumes, shared and own images, and no
   * build cache (it is the host's, shared by every tenant). The images' total is recomputed from what
   * is left, so that no other tenant's usage shows through.
   */
  public static JsonObject systemDf(JsonObject df, String tenant, TenantNames names) {
    JsonArray images = imageList(df.getValue("Images") instanceof JsonArray a ? a : new JsonArray(), tenant);
    long layers = 0;
    for (Object i : images) {
      layers += ((JsonObject) i).getValue("Size") instanceof Number n ? n.longValue() : 0;
    }
    df.put("Images", images).put("LayersSize", layers).put("BuildCache", new JsonArray());
    JsonArray containers = new JsonArray();
    for (Object c : df.getValue("Containers") instanceof JsonArray a ? a : new JsonArray()) {
      if (c instanceof JsonObject container && Ownership.ownedBy(object(container, "Labels"), tenant)) {
        containers.add(container);
      }
    }
    df.put("Containers", containerList(containers, names));
    // An image's container count is the tenant's own containers from it, not every tenant's.
    for (Object i : images) {
      JsonObject image = (JsonObject) i;
      if (image.containsKey("Containers")) {
        String id = image.getString("Id", "");
        image.put("Containers", containers.stream()
            .filter(c -> c instanceof JsonObject o && id.equals(o.getString("ImageID"))).count());
      }
    }
    JsonArray volumes = new JsonArray();
    for (Object v : df.getValue("Volumes") instanceof JsonArray a ? a : new JsonArray()) {
      if (v instanceof JsonObject volume && Ownership.ownedBy(object(volume, "Labels"), tenant)) {
        volumes.add(volume(volume, names));
      }
    }
    return df.put("Volumes", volumes);
  }

  /** Counts of one tenant's containers by state and of the images it sees, for {@link #info}. */
  public record TenantCounts(int total, int running, int paused, int stopped, int images) {
    /** From the tenant's containers ({@code /containers/json?all=1} scoped) and the host's images. */
    public static TenantCounts of(JsonArray containers, JsonArray images, String tenant) {
      int running = 0;
      int paused = 0;
      for (Object c : containers) {
        // getString's default does not cover a State present as null (or not a string): that is no state.
        String state = c instanceof JsonObject o && o.getValue("State") instanceof String given ? given : "";
        running += state.equals("running") ? 1 : 0;
        paused += state.equals("paused") ? 1 : 0;
      }
      return new TenantCounts(containers.size(), running, paused, containers.size() - running - paused,
          imageList(images, tenant).size());
    }
  }

  /**
   * {@code GET /info}: the tenant's own container counts, and none of what describes the host beyond
   * what a container could see anyway: no host name or daemon ID, no paths, proxies, labels, swarm
   * addresses or host warnings.
   */
  public static JsonObject info(JsonObject info, TenantCounts counts, String gatewayName) {
    info.put("Images", counts.images()).put("Containers", counts.total()).put("ContainersRunning", counts.running())
        .put("ContainersPaused", counts.paused()).put("ContainersStopped", counts.stopped());
    info.put("Name", gatewayName).put("ID", "").put("DockerRootDir", "")
        .put("HttpProxy", "").put("HttpsProxy", "").put("NoProxy", "")
        .put("Labels", new JsonArray()).put("Warnings", new JsonArray());
    info.remove("SystemStatus");
    JsonObject swarm = object(info, "Swarm");
    if (!swarm.isEmpty()) {
      info.put("Swarm", new JsonObject().put("LocalNodeState", swarm.getString("LocalNodeState", "inactive"))
          .put("NodeID", "").put("NodeAddr", "").put("ControlAvailable", false).put("Error", "").put("RemoteManagers", null));
    }
    return info;
  }

  /** One event of {@code GET /events}: the object's name as the tenant knows it. */
  public static JsonObject event(JsonObject event, TenantNames names) {
    JsonObject attributes = object(object(event, "Actor"), "Attributes");
    if (attributes.getValue("name") instanceof String name) {
      attributes.put("name", names.fromBackend(name));
    }
    return event;
  }

  /**
   * One line of {@code GET /events} for a tenant, or null when it is not the tenant's to see. The
   * daemon is asked without an owner filter (volume and network events carry no labels, so such a
   * filter would drop them all) and every line is decided here, allowing only: container and image
   * events whose owner label (events carry their object's labels) is the tenant's; volume and network
   * events whose name is in the tenant's namespace. Anything else (other tenants', daemon, plugin,
   * swarm events, unlabelled objects, a line of an unknown shape) is dropped.
   */
  public static JsonObject tenantEvent(JsonObject event, String tenant, TenantNames names) {
    JsonObject actor = object(event, "Actor");
    JsonObject attributes = object(actor, "Attributes");
    String type = event.getValue("Type") instanceof String t ? t : "";
    boolean visible = switch (type) {
      case "container", "image" -> tenant.equals(attributes.getValue(Ownership.LABEL));
      case "volume" -> actor.getValue("ID") instanceof String id && names.isTenants(id);
      case "network" -> attributes.getValue("name") instanceof String name && names.isTenants(name);
      default -> false;
    };
    if (!visible) {
      return null;
    }
    if (type.equals("volume")) {
      String id = actor.getString("ID");
      actor.put("ID", names.fromBackend(id));
      if (event.getValue("id") instanceof String) {
        event.put("id", names.fromBackend(id));
      }
    }
    return event(event, names);
  }

  /** One sample of {@code GET /containers/{id}/stats}: the container's name as the tenant knows it. */
  public static JsonObject stats(JsonObject sample, TenantNames names) {
    if (sample.getValue("name") instanceof String name) {
      sample.put("name", names.fromBackend(name));
    }
    return sample;
  }

  private static boolean visibleTo(Object labels, Object repoTags, String tenant) {
    JsonObject l = labels instanceof JsonObject o ? o : null;
    return Ownership.isShared(l, repoTags) || Ownership.ownedBy(l, tenant);
  }

  private static JsonArray mapAll(JsonArray values, TenantNames names) {
    JsonArray mapped = new JsonArray();
    if (values != null) {
      values.forEach(v -> mapped.add(names.fromBackend(String.valueOf(v))));
    }
    return mapped;
  }

  /** What a container in a list and in an inspect both show: its mounts' and networks' names. */
  private static void mapVolumesAndNetworks(JsonObject container, TenantNames names) {
    mapMountNames(container.getValue("Mounts"), names);
    mapNetworkKeys(object(container, "NetworkSettings"), names);
    JsonObject host = object(container, "HostConfig");
    if (host.getValue("NetworkMode") instanceof String mode) {
      host.put("NetworkMode", names.fromBackend(mode));
    }
  }

  private static void mapMountNames(Object mounts, TenantNames names) {
    if (mounts instanceof JsonArray array) {
      for (Object m : array) {
        if (m instanceof JsonObject mount && mount.getValue("Name") instanceof String name) {
          mount.put("Name", names.fromBackend(name));
        }
      }
    }
  }

  private static void mapNetworkKeys(JsonObject settings, TenantNames names) {
    if (settings.getValue("Networks") instanceof JsonObject networks) {
      JsonObject mapped = new JsonObject();
      networks.forEach(e -> mapped.put(names.fromBackend(e.getKey()), e.getValue()));
      settings.put("Networks", mapped);
    }
  }

  private static JsonObject object(JsonObject json, String key) {
    return json != null && json.getValue(key) instanceof JsonObject o ? o : new JsonObject();
  }
}
