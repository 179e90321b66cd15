package io.portcullis.gateway.policy;

import io.portcullis.contracts.ApiException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a container may not be created with, because it would reach out of the container onto the
 * host or into other tenants' objects. Deny by default; each refusal is a 403 naming the field and the
 * rule, and a tenant can be exempted from a rule by configuration ({@code policy.tenants.NAME.allow}).
 * Pure functions over the create body: no I/O.
 */
public final class CreatePolicy {
  /** Rule names, as used in refusals and in per-tenant allowances. */
  public static final List<String> RULES = List.of("privileged", "host-bind-mounts", "volumes-from", "host-namespaces",
      "capabilities", "devices", "security-options", "sysctls", "cgroup-parent", "runtime", "oom-kill-disable",
      "host-ports", "log-drivers", "remote-fetch", "network-drivers", "exec-user", "buildkit", "registries");

  private final PolicyConfig config;

  public CreatePolicy(PolicyConfig config) {
    this.config = config;
  }

  /** Checks a {@code POST /containers/create} body; throws a 403 {@link ApiException} naming the first violation. */
  public void checkContainerCreate(String tenant, JsonObject body) {
    JsonObject host = object(body, "HostConfig");
    if (bool(host, "Privileged")) {
      refuse(tenant, "privileged", "HostConfig.Privileged", "privileged containers are not allowed");
    }
    JsonArray binds = array(host, "Binds");
    for (Object b : binds) {
      String source = String.valueOf(b).split(":", 2)[0];
      if (source.startsWith("/") || source.startsWith(".") || source.startsWith("~")) {
        refuse(tenant, "host-bind-mounts", "HostConfig.Binds", "bind mounts of host paths are not allowed (" + source + ")");
      }
    }
    for (Object m : array(host, "Mounts")) {
      JsonObject mount = m instanceof JsonObject o ? o : (m instanceof Map<?, ?> map ? new JsonObject(castMap(map)) : new JsonObject());
      String type = mount.getString("Type", "volume").toLowerCase(Locale.ROOT);
      if (!type.equals("volume") && !type.equals("tmpfs")) {
        refuse(tenant, "host-bind-mounts", "HostConfig.Mounts", "mounts of type " + type + " are not allowed");
      }
      JsonObject driverOptions = object(object(object(mount, "VolumeOptions"), "DriverConfig"), "Options");
      if (driverOptions.containsKey("device") || "bind".equals(driverOptions.getString("o"))) {
        refuse(tenant, "host-bind-mounts", "HostConfig.Mounts", "volume options that bind a host path are not allowed");
      }
    }
    if (!array(host, "VolumesFrom").isEmpty()) {
      refuse(tenant, "volumes-from", "HostConfig.VolumesFrom", "mounting another container's volumes is not allowed");
    }
    for (String field : List.of("NetworkMode", "PidMode", "IpcMode", "UTSMode", "UsernsMode", "CgroupnsMode")) {
      String mode = string(host, field).toLowerCase(Locale.ROOT);
      if (mode.equals("host") || mode.startsWith("container:")) {
        refuse(tenant, "host-namespaces", "HostConfig." + field, field + " " + mode + " is not allowed");
      }
    }
    for (Object c : array(host, "CapAdd")) {
      String cap = String.valueOf(c).toUpperCase(Locale.ROOT).replaceFirst("^CAP_", "");
      if (cap.equals("ALL") || !config.allowedCapabilities().contains(cap)) {
        refuse(tenant, "capabilities", "HostConfig.CapAdd", "capability " + cap + " is not allowed");
      }
    }
    for (String field : List.of("Devices", "DeviceRequests", "DeviceCgroupRules")) {
      if (!array(host, field).isEmpty()) {
        refuse(tenant, "devices", "HostConfig." + field, "access to host devices is not allowed");
      }
    }
    for (Object o : array(host, "SecurityOpt")) {
      // Allow-list: every other option (an inline seccomp profile, an SELinux type, an AppArmor
      // profile) can loosen the confinement as well as "unconfined" does.
      String opt = String.valueOf(o).toLowerCase(Locale.ROOT).replace(':', '=').replace(" ", "");
      if (!opt.equals("no-new-privileges") && !opt.equals("no-new-privileges=true")) {
        refuse(tenant, "security-options", "HostConfig.SecurityOpt", "security option " + o + " is not allowed");
      }
    }
    for (String field : List.of("MaskedPaths", "ReadonlyPaths")) {
      // The daemon's defaults hide and protect /proc and /sys paths; any list given replaces them.
      if (host.getValue(field) != null) {
        refuse(tenant, "security-options", "HostConfig." + field, field + " replaces the protection of /proc and /sys and is not allowed");
      }
    }
    JsonObject endpoints = object(object(body, "NetworkingConfig"), "EndpointsConfig");
    for (String network : endpoints.fieldNames()) {
      checkEndpoint(object(endpoints, network), "NetworkingConfig.EndpointsConfig." + network);
    }
    if (!object(host, "Sysctls").isEmpty()) {
      refuse(tenant, "sysctls", "HostConfig.Sysctls", "sysctls are not allowed");
    }
    if (!string(host, "CgroupParent").isEmpty()) {
      refuse(tenant, "cgroup-parent", "HostConfig.CgroupParent", "a cgroup parent is not allowed");
    }
    String runtime = string(host, "Runtime");
    if (!runtime.isEmpty() && !runtime.equals("runc")) {
      refuse(tenant, "runtime", "HostConfig.Runtime", "runtime " + runtime + " is not allowed");
    }
    if (bool(host, "OomKillDisable")) {
      refuse(tenant, "oom-kill-disable", "HostConfig.OomKillDisable", "disabling the OOM killer is not allowed");
    }
    JsonObject ports = object(host, "PortBindings");
    for (String port : ports.fieldNames()) {
      for (Object b : ports.getValue(port) instanceof JsonArray a ? a : new JsonArray()) {
        JsonObject binding = b instanceof JsonObject o ? o : new JsonObject();
        checkHostPort(tenant, port, binding.getString("HostPort", ""));
      }
    }
    if (bool(host, "PublishAllPorts")) {
      refuse(tenant, "host-ports", "HostConfig.PublishAllPorts", "publishing all ports on random host ports is not allowed");
    }
    String logDriver = string(object(host, "LogConfig"), "Type");
    if (!logDriver.isEmpty() && !config.allowedLogDrivers().contains(logDriver)) {
      refuse(tenant, "log-drivers", "HostConfig.LogConfig.Type", "log driver " + logDriver + " is not allowed");
    }
  }

  /**
   * Checks a {@code POST /volumes/create} body: a local volume with driver options that bind or mount a
   * host device ({@code --opt type=none --opt o=bind --opt device=/etc}) would hand the host's files to
   * any container that mounts it by name.
   */
  public void checkVolumeCreate(String tenant, JsonObject body) {
    JsonObject options = object(body, "DriverOpts");
    String o = string(options, "o");
    if (options.containsKey("device") || o.contains("bind")) {
      refuse(tenant, "host-bind-mounts", "DriverOpts", "volume options that bind a host path or device are not allowed");
    }
    String driver = string(body, "Driver");
    if (!driver.isEmpty() && !driver.equals("local")) {
      refuse(tenant, "host-bind-mounts", "Driver", "volume driver " + driver + " is not allowed");
    }
  }

  /**
   * Checks the parameters of {@code POST /build}: the same escapes as a container's (the build's
   * containers run with them), and no {@code remote} context, which would make the daemon fetch a URL
   * from inside the private network on the tenant's behalf.
   */
  public void checkBuild(String tenant, Map<String, List<String>> params) {
    String networkMode = first(params, "networkmode").toLowerCase(Locale.ROOT);
    if (networkMode.equals("host") || networkMode.startsWith("container:")) {
      refuse(tenant, "host-namespaces", "networkmode", "build network mode " + networkMode + " is not allowed");
    }
    if (!first(params, "cgroupparent").isEmpty()) {
      refuse(tenant, "cgroup-parent", "cgroupparent", "a cgroup parent is not allowed");
    }
    if (first(params, "version").equals("2") || !first(params, "outputs").isEmpty()) {
      refuse(tenant, "buildkit", "version", BUILDKIT_REFUSAL);
    }
    if (!first(params, "remote").isEmpty()) {
      refuse(tenant, "remote-fetch", "remote", "a build context fetched by the daemon from a URL is not allowed; send the context instead");
    }
    String extraHosts = first(params, "extrahosts");
    if (extraHosts.contains("host-gateway")) {
      refuse(tenant, "host-namespaces", "extrahosts", "host-gateway is not allowed");
    }
  }

  private static final String BUILDKIT_REFUSAL = "BuildKit is not available through this gateway: its cache mounts"
      + " and outputs are shared by every tenant of a host; build with DOCKER_BUILDKIT=0";

  /**
   * A pull, push or login makes the daemon connect to the registry the image reference names: with
   * {@code policy.allowedRegistries} set, only those (a tenant could otherwise have the daemon reach
   * any address in the private network). {@code reference} is an image reference or a server address.
   */
  public void checkRegistry(String tenant, String reference, String field) {
    if (config.allowedRegistries().isEmpty() || reference == null || reference.isEmpty()) {
      return;
    }
    String registry = field.equals("serveraddress") ? registryOfServer(reference) : registryOfImage(reference);
    if (!config.allowedRegistries().contains(registry)) {
      refuse(tenant, "registries", field, "registry " + registry + " is not allowed (allowed: "
          + String.join(", ", config.allowedRegistries()) + ")");
    }
  }

  /**
   * The registry an image reference names, as Docker reads it: the first path component when there
   * is more than one and it has a '.' or ':' or is {@code localhost}, else Docker Hub.
   */
  static String registryOfImage(String reference) {
    int slash = reference.indexOf('/');
    String first = slash < 0 ? "" : reference.substring(0, slash);
    if (first.contains(".") || first.contains(":") || first.equals("localhost")) {
      return hub(first.toLowerCase(Locale.ROOT));
    }
    return "docker.io";
  }

  /** The registry a login's server address names ({@code https://host:port/v1/} is {@code host:port}). */
  static String registryOfServer(String address) {
    String rest = address.replaceFirst("^[a-zA-Z][a-zA-Z0-9+.-]*://", "");
    int slash = rest.indexOf('/');
    return hub((slash < 0 ? rest : rest.substring(0, slash)).toLowerCase(Locale.ROOT));
  }

  private static String hub(String host) {
    return host.equals("index.docker.io") || host.equals("registry-1.docker.io") ? "docker.io" : host;
  }

  /** Checks a call to BuildKit's own endpoints ({@code /session}, {@code /grpc}). */
  public void checkBuildKitCall(String tenant, String family) {
    if (family.startsWith("buildkit.")) {
      refuse(tenant, "buildkit", family, BUILDKIT_REFUSAL);
    }
  }

  /** Checks {@code POST /images/create}: an import from a URL makes the daemon fetch it (only {@code fromSrc=-}). */
  public void checkImageCreate(String tenant, Map<String, List<String>> params) {
    String source = first(params, "fromSrc");
    if (!source.isEmpty() && !source.equals("-")) {
      refuse(tenant, "remote-fetch", "fromSrc", "importing an image from a URL is not allowed; send the archive instead");
    }
  }

  /**
   * Checks {@code POST /networks/create}: only bridge networks of the tenant's own, without driver
   * options (a macvlan or ipvlan network, or a bridge option naming a host interface, reaches the host's
   * network), and not attachable to swarm ingress.
   */
  public void checkNetworkCreate(String tenant, JsonObject body) {
    String driver = string(body, "Driver");
    if (!driver.isEmpty() && !driver.equals("bridge")) {
      refuse(tenant, "network-drivers", "Driver", "network driver " + driver + " is not allowed");
    }
    for (String option : object(body, "Options").fieldNames()) {
      if (!option.equals("com.docker.network.driver.mtu")) {
        refuse(tenant, "network-drivers", "Options", "network option " + option + " is not allowed");
      }
    }
    if (bool(body, "Ingress") || string(body, "Scope").equals("swarm")) {
      refuse(tenant, "network-drivers", "Ingress", "swarm networks are not allowed");
    }
  }

  /**
   * An endpoint's {@code NetworkID} names the network the daemon joins, whatever the key or path says:
   * the gateway checks networks by their names, so an endpoint may not name one by ID.
   */
  public void checkEndpoint(JsonObject endpoint, String field) {
    if (endpoint.getValue("NetworkID") != null && !String.valueOf(endpoint.getValue("NetworkID")).isEmpty()) {
      throw ApiException.badRequest(field + ".NetworkID is not accepted through this gateway; name the network instead");
    }
  }

  /** Checks a {@code POST /containers/{id}/exec} body. */
  public void checkExecCreate(String tenant, JsonObject body) {
    if (bool(body, "Privileged")) {
      refuse(tenant, "privileged", "Privileged", "privileged exec is not allowed");
    }
    if (config.restrictExecUser() && !string(body, "User").isEmpty()) {
      refuse(tenant, "exec-user", "User", "choosing the user of an exec is not allowed; it runs as the container's user");
    }
  }

  private void checkHostPort(String tenant, String containerPort, String hostPort) {
    int min = config.hostPortMin();
    int max = config.hostPortMax();
    String[] range = hostPort.isEmpty() ? new String[0] : hostPort.split("-");
    boolean ok = range.length > 0;
    for (String p : range) {
      try {
        int n = Integer.parseInt(p.trim());
        ok &= n >= min && n <= max && max > 0;
      } catch (NumberFormatException e) {
        ok = false;
      }
    }
    if (!ok) {
      String allowed = max == 0 ? "no host ports are allowed" : "allowed host ports are " + min + "-" + max;
      refuse(tenant, "host-ports", "HostConfig.PortBindings", "host port " + (hostPort.isEmpty() ? "(random)" : hostPort)
          + " for " + containerPort + " is not allowed: " + allowed);
    }
  }

  private static String first(Map<String, List<String>> params, String key) {
    List<String> values = params.get(key);
    return values == null || values.isEmpty() || values.get(0) == null ? "" : values.get(0);
  }

  private void refuse(String tenant, String rule, String field, String why) {
    if (config.allows(tenant, rule)) {
      return;
    }
    throw ApiException.forbidden(why + " (field " + field + ", rule " + rule + ")").byRule(rule);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> castMap(Map<?, ?> map) {
    return (Map<String, Object>) map;
  }

  private static JsonObject object(JsonObject json, String key) {
    Object v = json.getValue(key);
    return v instanceof JsonObject o ? o : new JsonObject();
  }

  private static JsonArray array(JsonObject json, String key) {
    Object v = json.getValue(key);
    return v instanceof JsonArray a ? a : new JsonArray();
  }

  private static String string(JsonObject json, String key) {
    Object v = json.getValue(key);
    return v instanceof String s ? s : "";
  }

  private static boolean bool(JsonObject json, String key) {
    return Boolean.TRUE.equals(json.getValue(key));
  }
}
