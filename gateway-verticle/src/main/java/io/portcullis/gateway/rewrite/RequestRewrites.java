package io.portcullis.gateway.rewrite;

import io.portcullis.gateway.ownership.TenantNames;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Request bodies moved into a tenant's namespace on the backend. */
public final class RequestRewrites {
  private RequestRewrites() {}

  /**
   * A container create body with the tenant's volume and network names mapped to backend names:
   * named volumes in {@code Binds} and volume {@code Mounts}, {@code NetworkMode}, the networks of
   * {@code NetworkingConfig.EndpointsConfig}, and the containers of {@code Links}.
   */
  public static JsonObject containerCreate(JsonObject body, TenantNames names) {
    JsonObject host = object(body, "HostConfig");
    if (host.getValue("Binds") instanceof JsonArray binds) {
      JsonArray mapped = new JsonArray();
      for (Object b : binds) {
        String bind = String.valueOf(b);
        String[] parts = bind.split(":", 2);
        mapped.add(parts.length == 2 && isVolumeName(parts[0]) ? names.toBackend(parts[0]) + ":" + parts[1] : bind);
      }
      host.put("Binds", mapped);
    }
    if (host.getValue("Mounts") instanceof JsonArray mounts) {
      for (Object m : mounts) {
        if (m instanceof JsonObject mount && "volume".equalsIgnoreCase(mount.getString("Type", "volume"))
            && isVolumeName(mount.getString("Source", ""))) {
          mount.put("Source", names.toBackend(mount.getString("Source")));
        }
      }
    }
    if (host.getValue("NetworkMode") instanceof String mode) {
      host.put("NetworkMode", names.networkToBackend(mode));
    }
    if (host.getValue("Links") instanceof JsonArray links) {
      JsonArray mapped = new JsonArray();
      for (Object l : links) {
        String[] parts = String.valueOf(l).split(":", 2);
        String target = parts[0].startsWith("/") ? parts[0].substring(1) : parts[0];
        mapped.add(names.toBackend(target) + (parts.length == 2 ? ":" + parts[1] : ""));
      }
      host.put("Links", mapped);
    }
    JsonObject endpoints = object(object(body, "NetworkingConfig"), "EndpointsConfig");
    if (!endpoints.isEmpty()) {
      JsonObject mapped = new JsonObject();
      endpoints.forEach(e -> mapped.put(names.networkToBackend(e.getKey()), e.getValue()));
      body.getJsonObject("NetworkingConfig").put("EndpointsConfig", mapped);
    }
    return body;
  }

  /** The user-defined networks (backend names) a mapped create body joins; the daemon's own are left out. */
  public static List<String> networks(JsonObject body) {
    Set<String> out = new LinkedHashSet<>();
    String mode = object(body, "HostConfig").getString("NetworkMode", "");
    if (!mode.isEmpty() && !TenantNames.BUILTIN_NETWORKS.contains(mode) && !mode.startsWith("container:")) {
      out.add(mode);
    }
    for (String network : object(object(body, "NetworkingConfig"), "EndpointsConfig").fieldNames()) {
      if (!TenantNames.BUILTIN_NETWORKS.contains(network)) {
        out.add(network);
      }
    }
    return new ArrayList<>(out);
  }

  /**
   * On the tenant's own networks a container answers DNS by the name the tenant gave it, as on one
   * daemon (the daemon knows it as {@code tenant.name}): the name is added to the aliases of each
   * user-defined network the mapped create body joins. Networks are one tenant's, so no alias can
   * meet another tenant's container.
   */
  public static JsonObject withNameAlias(JsonObject mapped, String name) {
    if (name == null || name.isEmpty()) {
      return mapped;
    }
    List<String> joined = networks(mapped);
    if (joined.isEmpty()) {
      return mapped;
    }
    if (!(mapped.getValue("NetworkingConfig") instanceof JsonObject)) {
      mapped.put("NetworkingConfig", new JsonObject());
    }
    JsonObject networking = mapped.getJsonObject("NetworkingConfig");
    if (!(networking.getValue("EndpointsConfig") instanceof JsonObject)) {
      networking.put("EndpointsConfig", new JsonObject());
    }
    JsonObject endpoints = networking.getJsonObject("EndpointsConfig");
    for (String network : joined) {
      if (!(endpoints.getValue(network) instanceof JsonObject)) {
        endpoints.put(network, new JsonObject());
      }
      JsonObject endpoint = endpoints.getJsonObject(network);
      JsonArray aliases = endpoint.getValue("Aliases") instanceof JsonArray a ? a : new JsonArray();
      if (!aliases.contains(name)) {
        aliases.add(name);
      }
      endpoint.put("Aliases", aliases);
    }
    return mapped;
  }

  /** A volume or network create body with its {@code Name} in the tenant's namespace (none: the daemon picks one). */
  public static JsonObject named(JsonObject body, TenantNames names) {
    String name = body.getValue("Name") instanceof String s ? s : "";
    if (!name.isEmpty()) {
      body.put("Name", names.toBackend(name));
    }
    return body;
  }

  /** Docker's own test: a bind source that is not an absolute path is a volume name. */
  private static boolean isVolumeName(String source) {
    return !source.isEmpty() && !source.startsWith("/");
  }

  private static JsonObject object(JsonObject json, String key) {
    return json.getValue(key) instanceof JsonObject o ? o : new JsonObject();
  }
}
