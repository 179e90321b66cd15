package io.portcullis.app;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;

/**
 * Environment variables that override configuration keys. One table, mirrored in README.
 * {@code DOCKER_HOST} is honoured the way the docker CLI honours it: it names the backend when no
 * backend is configured otherwise.
 */
final class EnvOverrides {
  record Override(String variable, String path, Kind kind) {}

  enum Kind { STRING, INT, LIST }

  static final List<Override> TABLE = List.of(
      new Override("PORTCULLIS_TLS_HOST", "edge.tlsHost", Kind.STRING),
      new Override("PORTCULLIS_TLS_PORT", "edge.tlsPort", Kind.INT),
      new Override("PORTCULLIS_PLAINTEXT_HOST", "edge.plaintextHost", Kind.STRING),
      new Override("PORTCULLIS_PLAINTEXT_PORT", "edge.plaintextPort", Kind.INT),
      new Override("PORTCULLIS_STATE_DIR", "auth.stateDir", Kind.STRING),
      new Override("PORTCULLIS_EDGE_INSTANCES", "edge.instances", Kind.INT),
      new Override("PORTCULLIS_PLAINTEXT_TENANT", "auth.plaintextTenant", Kind.STRING),
      new Override("PORTCULLIS_HEALTH_INTERVAL_MS", "registry.healthIntervalMs", Kind.INT),
      new Override("PORTCULLIS_PLACEMENT_STRATEGY", "registry.placement.strategy", Kind.STRING),
      new Override("PORTCULLIS_ROLES", "node.roles", Kind.LIST),
      new Override("PORTCULLIS_ADMIN_HOST", "admin.host", Kind.STRING),
      new Override("PORTCULLIS_ADMIN_PORT", "admin.port", Kind.INT),
      new Override("PORTCULLIS_CLUSTER_NAME", "cluster.name", Kind.STRING),
      new Override("PORTCULLIS_CLUSTER_HOST", "cluster.host", Kind.STRING),
      new Override("PORTCULLIS_CLUSTER_PORT", "cluster.port", Kind.INT),
      new Override("PORTCULLIS_CLUSTER_BUS_PORT", "cluster.busPort", Kind.INT),
      new Override("PORTCULLIS_CLUSTER_MEMBERS", "cluster.members", Kind.LIST),
      new Override("PORTCULLIS_CLUSTER_K8S_SERVICE_DNS", "cluster.kubernetesServiceDns", Kind.STRING));

  private EnvOverrides() {}

  static JsonObject apply(JsonObject config, Map<String, String> env) {
    return apply(config, env, new java.util.HashMap<>());
  }

  /**
   * @param origins filled with key path → the variable that set it, so that {@link ConfigValidator}
   *     names the variable when the value it gave is refused
   */
  static JsonObject apply(JsonObject config, Map<String, String> env, Map<String, String> origins) {
    for (Override o : TABLE) {
      String value = env.get(o.variable());
      if (value == null || value.isBlank()) {
        continue;
      }
      origins.put(o.path(), o.variable());
      String[] path = o.path().split("\\.");
      JsonObject section = config;
      for (int i = 0; i < path.length - 1; i++) {
        JsonObject inner = section.getJsonObject(path[i]);
        if (inner == null) {
          inner = new JsonObject();
          section.put(path[i], inner);
        }
        section = inner;
      }
      section.put(path[path.length - 1], convert(o, value.trim()));
    }
    JsonObject registry = config.getJsonObject("registry", new JsonObject());
    config.put("registry", registry);
    String backends = env.get("PORTCULLIS_BACKENDS");
    if (backends != null && !backends.isBlank()) {
      registry.put("hosts", parseBackends(backends));
      origins.put("registry.hosts", "PORTCULLIS_BACKENDS");
    }
    JsonArray hosts = registry.getJsonArray("hosts");
    if (hosts == null || hosts.isEmpty()) {
      String dockerHost = env.getOrDefault("DOCKER_HOST", "");
      String uri = dockerHost.isBlank() ? "unix:///var/run/docker.sock" : dockerHost.trim();
      registry.put("hosts", new JsonArray().add(new JsonObject().put("name", "local").put("uri", uri)));
      if (!dockerHost.isBlank()) {
        origins.put("registry.hosts", "DOCKER_HOST");
      }
    }
    return config;
  }

  /** {@code name=uri,name=uri}, or bare URIs (named host1, host2...). */
  static JsonArray parseBackends(String value) {
    JsonArray hosts = new JsonArray();
    int n = 0;
    for (String item : value.split(",")) {
      String trimmed = item.trim();
      if (trimmed.isEmpty()) {
        continue;
      }
      n++;
      int eq = trimmed.indexOf('=');
      String name = eq > 0 ? trimmed.substring(0, eq) : "host" + n;
      String uri = eq > 0 ? trimmed.substring(eq + 1) : trimmed;
      hosts.add(new JsonObject().put("name", name).put("uri", uri));
    }
    return hosts;
  }

  private static Object convert(Override o, String value) {
    switch (o.kind()) {
      case INT:
        try {
          return Integer.parseInt(value);
        } catch (NumberFormatException e) {
          // Said as the validator says it, with what the key must be.
          ConfigSchema.Node node = ConfigSchema.at(o.path());
          String expected = node instanceof ConfigSchema.Value v ? v.rule().expected() : "a whole number";
          throw new InvalidConfigurationException(o.path() + " (from " + o.variable() + ") must be " + expected + ", got "
              + io.vertx.core.json.Json.encode(value));
        }
      case LIST:
        JsonArray list = new JsonArray();
        for (String item : value.split(",")) {
          if (!item.isBlank()) {
            list.add(item.trim());
          }
        }
        return list;
      default:
        return value;
    }
  }
}
