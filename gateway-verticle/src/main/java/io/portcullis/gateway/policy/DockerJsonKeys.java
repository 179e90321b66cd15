package io.portcullis.gateway.policy;

import io.portcullis.contracts.ApiException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The daemon decodes request bodies with Go's {@code encoding/json}, which matches struct field names
 * case-insensitively (and folds {@code ſ} to {@code s} and the Kelvin sign to {@code k}): to the daemon
 * {@code {"hostconfig":{"privileged":true}}} is a privileged container. The policy reads fields by their
 * exact names, so before it looks, every key it (or the daemon) could read as one of those fields is
 * renamed to the canonical spelling, and the canonical body is what is forwarded: what was checked is
 * exactly what the daemon gets. Two keys of one object that fold to the same name are refused.
 *
 * <p>Keys of map-valued fields (labels, sysctls, driver options, port bindings...) are the tenant's
 * data and are left alone.
 */
public final class DockerJsonKeys {
  /** The struct fields the gateway reads or writes in the bodies it checks. */
  private static final List<String> FIELDS = List.of("Image", "HostConfig", "Privileged", "Binds", "Mounts", "Type",
      "Source", "Target", "VolumeOptions", "DriverConfig", "Options", "Name", "VolumesFrom", "NetworkMode", "PidMode",
      "IpcMode", "UTSMode", "UsernsMode", "CgroupnsMode", "CapAdd", "CapDrop", "Capabilities", "Devices", "DeviceRequests",
      "DeviceCgroupRules", "SecurityOpt", "Sysctls", "CgroupParent", "Runtime", "OomKillDisable", "PortBindings",
      "HostPort", "HostIp", "PublishAllPorts", "LogConfig", "Labels", "DriverOpts", "Driver", "NetworkingConfig",
      "EndpointsConfig", "Links", "Memory", "MemorySwap", "MemoryReservation", "KernelMemory", "NanoCpus", "CpuQuota",
      "CpuPeriod", "CpuRealtimeRuntime", "CpuRealtimePeriod", "PidsLimit", "Container", "Ingress", "Scope", "User",
      "Cmd", "Config", "ReadonlyRootfs", "Ulimits", "Init", "Isolation", "ShmSize", "AutoRemove", "RestartPolicy",
      "VolumeDriver", "BindOptions", "TmpfsOptions", "Propagation", "ReadOnly", "Tmpfs", "StorageOpt", "ExposedPorts",
      "Volumes", "Entrypoint", "Env", "WorkingDir", "Tty", "OpenStdin", "AttachStdin", "AttachStdout", "AttachStderr",
      "Detach", "DetachKeys", "Internal", "Attachable", "ConfigFrom", "ConfigOnly", "IPAM", "EnableIPv6",
      "CheckDuplicate", "Force", "EndpointConfig", "Aliases", "Annotations", "MaskedPaths", "ReadonlyPaths",
      "GroupAdd", "ExtraHosts", "Dns", "DnsOptions", "DnsSearch", "OomScoreAdj", "BlkioWeight", "CpuShares",
      "CpusetCpus", "CpusetMems", "CgroupPermissions", "PathOnHost", "PathInContainer", "Count",
      "DeviceIDs", "Hostname", "Domainname", "serveraddress");

  /** Fields whose object value is a map of the tenant's own keys. */
  private static final Set<String> MAPS = Set.of("Labels", "Sysctls", "DriverOpts", "Options", "StorageOpt", "Tmpfs",
      "ExposedPorts", "Volumes", "Annotations", "PortBindings", "EndpointsConfig", "Config");
  /** Maps whose values are structs again. */
  private static final Set<String> MAPS_OF_STRUCTS = Set.of("PortBindings", "EndpointsConfig");

  private static final Map<String, String> CANONICAL = new HashMap<>();

  static {
    FIELDS.forEach(f -> CANONICAL.put(fold(f), f));
  }

  private DockerJsonKeys() {}

  /** The body with the keys of every struct renamed to their canonical spelling; 400 on ambiguity. */
  public static JsonObject canonical(JsonObject body) {
    return struct(body, "");
  }

  private static JsonObject struct(JsonObject object, String path) {
    Map<String, Object> out = new LinkedHashMap<>();
    Map<String, String> seen = new HashMap<>();
    for (Map.Entry<String, Object> e : object) {
      String folded = fold(e.getKey());
      String key = CANONICAL.getOrDefault(folded, e.getKey());
      String earlier = seen.put(folded, e.getKey());
      if (earlier != null) {
        throw ApiException.badRequest("ambiguous JSON body: " + path + e.getKey() + " and " + path + earlier
            + " name the same field");
      }
      out.put(key, value(key, e.getValue(), path + key + "."));
    }
    return new JsonObject(out);
  }

  private static Object value(String key, Object value, String path) {
    if (value instanceof JsonObject o) {
      if (!MAPS.contains(key)) {
        return struct(o, path);
      }
      if (MAPS_OF_STRUCTS.contains(key)) {
        JsonObject mapped = new JsonObject();
        o.forEach(e -> mapped.put(e.getKey(), value("", e.getValue(), path + e.getKey() + ".")));
        return mapped;
      }
      return o;
    }
    if (value instanceof JsonArray a) {
      JsonArray mapped = new JsonArray();
      a.forEach(v -> mapped.add(v instanceof JsonObject o ? struct(o, path) : v));
      return mapped;
    }
    return value;
  }

  /** Go's folding for field names, and a little more (any case pair Java knows): never less. */
  static String fold(String key) {
    return key.toUpperCase(Locale.ROOT).toLowerCase(Locale.ROOT);
  }
}
