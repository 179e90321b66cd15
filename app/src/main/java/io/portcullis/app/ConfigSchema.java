package io.portcullis.app;

import io.portcullis.contracts.BackendHost;
import io.portcullis.gateway.policy.CreatePolicy;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Every configuration key the node reads: what a valid value is (said the way the error message says
 * it) and its default. {@link ConfigValidator} checks a loaded configuration against it once, before
 * any verticle parses its section. The same defaults are in {@code conf/portcullis.json} (the layer the
 * node actually loads) and in the records' {@code fromJson}; {@code ConfigSchemaTest} keeps the three
 * equal, and {@code ReadmeConfigurationTableTest} keeps README's table listing every key here.
 *
 * <p>Checks that relate two keys (a default quota above its maximum, no listener at all, a plaintext
 * listener off loopback) stay in the records, which alone know how the values combine.
 */
final class ConfigSchema {
  private ConfigSchema() {}

  /** A node of the schema tree. */
  sealed interface Node permits Value, Section, Named, ListOf {}

  /** One value checked by {@code rule}; {@code defaultValue} is null where the default is computed or unset. */
  record Value(Rule rule, Object defaultValue) implements Node {}

  /** An object with a fixed set of keys. */
  record Section(Map<String, Node> keys) implements Node {}

  /** An object keyed by names the operator chooses (tenants); README writes such a name as {@code placeholder}. */
  record Named(String placeholder, Section each, JsonObject defaultValue) implements Node {}

  /** A list of objects of one shape ({@code registry.hosts}). */
  record ListOf(Section each, JsonArray defaultValue) implements Node {}

  /** What a value must be: {@code expected} completes "KEY must be ...". */
  record Rule(String expected, Predicate<Object> accepts) {}

  static final Rule BOOLEAN = new Rule("true or false", v -> v instanceof Boolean);
  static final Rule TEXT = new Rule("a string", v -> v instanceof String);
  static final Rule HOST = new Rule("a host name or IP address", v -> v instanceof String s && !s.isBlank());
  static final Rule PATH = new Rule("a file path", v -> v instanceof String s && !s.isBlank());
  static final Rule PORT = whole("a port number", 0, 65535);
  static final Rule PORT_OR_OFF = new Rule("a port number 0-65535 (or -1 for off)", v -> isWhole(v, -1, 65535));
  static final Rule STRINGS = new Rule("a list of strings", v -> v instanceof JsonArray a && a.stream().allMatch(String.class::isInstance));
  static final Rule LABELS = new Rule("an object of label strings, like {\"tier\": \"gold\"}",
      v -> v instanceof JsonObject o && o.stream().allMatch(e -> e.getValue() instanceof String));
  static final Rule TENANT = new Rule("a tenant name (1-63 characters of a-z, 0-9, '_', '.', '-')",
      v -> v instanceof String s && s.matches("[a-z0-9][a-z0-9_.-]{0,62}"));
  static final Rule BACKEND_URI = new Rule("a unix:///path or tcp://host:port address", v -> {
    if (!(v instanceof String s)) {
      return false;
    }
    try {
      BackendHost.validateUri(s);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  });
  static final Rule CPUS = new Rule("a number of CPUs >= 0", v -> v instanceof Number n && n.doubleValue() >= 0);
  static final Rule COUNT = whole("a whole number", 0, Long.MAX_VALUE);

  /** A whole number in [min, max]; "up to" the largest int or long is left unsaid. */
  static Rule whole(String noun, long min, long max) {
    String range = max == Long.MAX_VALUE || max == Integer.MAX_VALUE ? " >= " + min : " " + min + "-" + max;
    return new Rule(noun + range, v -> isWhole(v, min, max));
  }

  static Rule millis(long min) {
    return whole("a duration in milliseconds", min, Long.MAX_VALUE);
  }

  /** Durations read into an int by their record. */
  static Rule intMillis(long min) {
    return whole("a duration in milliseconds", min, Integer.MAX_VALUE);
  }

  static Rule oneOf(String... values) {
    return new Rule("one of " + String.join(", ", values), v -> v instanceof String s && List.of(values).contains(s));
  }

  /** A list whose items are each one of {@code values}, compared as {@code normalise} leaves them. */
  static Rule listOf(String description, boolean nonEmpty, List<String> values, java.util.function.UnaryOperator<String> normalise) {
    return new Rule(description, v -> v instanceof JsonArray a && (!nonEmpty || !a.isEmpty())
        && a.stream().allMatch(item -> item instanceof String s && values.contains(normalise.apply(s))));
  }

  private static boolean isWhole(Object v, long min, long max) {
    return v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())
        && n.doubleValue() >= min && n.doubleValue() <= max;
  }

  static Value value(Rule rule, Object defaultValue) {
    return new Value(rule, defaultValue);
  }

  /** {@code section("key", node, "key", node, ...)}, in the order README lists them. */
  static Section section(Object... keysAndNodes) {
    Map<String, Node> keys = new LinkedHashMap<>();
    for (int i = 0; i < keysAndNodes.length; i += 2) {
      keys.put((String) keysAndNodes[i], (Node) keysAndNodes[i + 1]);
    }
    return new Section(keys);
  }

  private static Section quotas(boolean withDefaults) {
    return section(
        "maxContainers", value(COUNT, withDefaults ? 100 : null),
        "defaultMemoryBytes", value(COUNT, withDefaults ? 1073741824L : null),
        "maxMemoryBytes", value(COUNT, withDefaults ? 8589934592L : null),
        "defaultCpus", value(CPUS, withDefaults ? 1 : null),
        "maxCpus", value(CPUS, withDefaults ? 4 : null),
        "defaultPids", value(COUNT, withDefaults ? 1024 : null),
        "maxPids", value(COUNT, withDefaults ? 4096 : null));
  }

  static final Section ROOT = section(
      "node", section(
          "roles", value(listOf("a non-empty list of edge, auth, registry, admin", true, List.of("edge", "auth", "registry", "admin"),
              s -> s.trim().toLowerCase(Locale.ROOT)), new JsonArray().add("edge").add("auth").add("registry").add("admin")),
          "name", value(TEXT, null)),
      "edge", section(
          "tlsHost", value(HOST, "127.0.0.1"),
          "tlsPort", value(PORT_OR_OFF, 2376),
          "tlsCertPath", value(PATH, null),
          "tlsKeyPath", value(PATH, null),
          "tlsProtocols", value(listOf("a non-empty list of TLSv1.2, TLSv1.3", true, List.of("TLSv1.2", "TLSv1.3"), s -> s),
              new JsonArray().add("TLSv1.3")),
          "tlsHandshakeTimeoutMs", value(millis(1), 10000),
          "plaintextHost", value(HOST, "127.0.0.1"),
          "plaintextPort", value(PORT_OR_OFF, -1),
          "plaintextAllowNonLoopback", value(BOOLEAN, false),
          "instances", value(whole("a whole number (0: one per core)", 0, Integer.MAX_VALUE), 0),
          "maxInitialLineBytes", value(whole("a whole number of bytes", 1024, Integer.MAX_VALUE), 65536),
          "maxHeaderBytes", value(whole("a whole number of bytes", 1024, Integer.MAX_VALUE), 65536),
          "backendConnectTimeoutMs", value(intMillis(1), 5000),
          "maxIdleBackendConnections", value(whole("a whole number", 0, Integer.MAX_VALUE), 32),
          "routeCacheMs", value(millis(0), 1000),
          "identityCacheMs", value(millis(0), 1000),
          "busTimeoutMs", value(millis(1), 2000),
          "shutdownGraceMs", value(millis(0), 30000),
          "backendResponseTimeoutMs", value(whole("a duration in milliseconds (0: no limit)", 0, Long.MAX_VALUE), 60000),
          "tcpKeepAliveIdleSeconds", value(whole("a number of seconds", 1, 32767), 60),
          "tcpKeepAliveIntervalSeconds", value(whole("a number of seconds", 1, 32767), 10),
          "tcpKeepAliveCount", value(whole("a number of probes", 1, 127), 6)),
      "auth", section(
          "plaintextTenant", value(TENANT, "local"),
          "stateDir", value(PATH, null),
          "reloadIntervalMs", value(millis(100), 500)),
      "registry", section(
          "hosts", new ListOf(section(
              "name", value(TEXT, null),
              "uri", value(BACKEND_URI, null),
              "labels", value(LABELS, new JsonObject()),
              "capacity", value(whole("a whole number (0: no limit)", 0, Integer.MAX_VALUE), 0),
              "draining", value(BOOLEAN, false),
              "tls", section(
                  "caFile", value(PATH, null),
                  "certFile", value(PATH, null),
                  "keyFile", value(PATH, null),
                  "ca", value(TEXT, null),
                  "cert", value(TEXT, null),
                  "key", value(TEXT, null))), new JsonArray()),
          "healthIntervalMs", value(millis(100), 5000),
          "healthTimeoutMs", value(millis(50), 2000),
          "healthFailuresBeforeDown", value(whole("a whole number", 1, Integer.MAX_VALUE), 2),
          "placement", section(
              "strategy", value(oneOf("spread", "binpack"), "spread"),
              "pool", value(LABELS, new JsonObject()),
              "tenants", new Named("NAME", section("pool", value(LABELS, null)), new JsonObject())),
          "reloadIntervalMs", value(millis(100), 500),
          "stateDir", value(PATH, null)),
      "admin", section(
          "host", value(HOST, "127.0.0.1"),
          "port", value(PORT_OR_OFF, 2377),
          "busTimeoutMs", value(millis(1), 5000)),
      "limits", section(
          "maxConnections", value(whole("a whole number (0: no limit)", 0, Integer.MAX_VALUE), 20000),
          "maxConnectionsPerTenant", value(whole("a whole number (0: no limit)", 0, Integer.MAX_VALUE), 2048),
          "maxSessions", value(whole("a whole number (0: no limit)", 0, Integer.MAX_VALUE), 8000),
          "maxSessionsPerTenant", value(whole("a whole number (0: no limit)", 0, Integer.MAX_VALUE), 1024),
          "requestsPerSecondPerTenant", value(whole("a whole number (0: no limit)", 0, Integer.MAX_VALUE), 500),
          "requestBurstPerTenant", value(whole("a whole number (0: as many as the rate)", 0, Integer.MAX_VALUE), 1000),
          "requestHeadTimeoutMs", value(whole("a whole number of milliseconds (0: none)", 0, Long.MAX_VALUE), 10000),
          "idleTimeoutMs", value(whole("a whole number of milliseconds (0: none)", 0, Long.MAX_VALUE), 120000)),
      "audit", section(
          "target", value(oneOf("file", "stdout", "off"), "file"),
          "file", value(PATH, null),
          "maxFileBytes", value(whole("a whole number of bytes", 1024, Long.MAX_VALUE), 104857600),
          "maxFiles", value(whole("a whole number of files", 1, 1000), 5),
          "queueLines", value(whole("a whole number of lines", 16, 100_000_000), 65536)),
      "cluster", section(
          "name", value(new Rule("a non-empty string", v -> v instanceof String s && !s.isBlank()), "portcullis"),
          "host", value(HOST, "127.0.0.1"),
          "port", value(PORT, 5701),
          "busPort", value(whole("a port number (0: any free port)", 0, 65535), 0),
          "members", value(STRINGS, new JsonArray()),
          "failureTimeoutMs", value(millis(1), 10000),
          "kubernetesServiceDns", value(TEXT, null)),
      "policy", section(
          "maxJsonBodyBytes", value(whole("a whole number of bytes", 1024, Integer.MAX_VALUE), 1048576),
          "hostPortMin", value(PORT, 0),
          "hostPortMax", value(PORT, 0),
          "allowedCapabilities", value(STRINGS, null),
          "allowedLogDrivers", value(STRINGS, new JsonArray().add("json-file").add("local").add("none")),
          "allowedRegistries", value(STRINGS, new JsonArray()),
          "restrictExecUser", value(BOOLEAN, false),
          "quotas", quotas(true),
          "tenants", new Named("NAME", section(
              "allow", value(listOf("a list of rule names (" + String.join(", ", CreatePolicy.RULES) + ")", false,
                  CreatePolicy.RULES, s -> s), null),
              "quotas", quotas(false)), new JsonObject())));

  /** The defaults as a configuration file would hold them (keys whose default is computed left out). */
  static JsonObject defaults() {
    return defaults(ROOT);
  }

  private static JsonObject defaults(Section section) {
    JsonObject out = new JsonObject();
    section.keys().forEach((key, node) -> {
      Object value = defaultOf(node);
      if (value != null) {
        out.put(key, value);
      }
    });
    return out;
  }

  private static Object defaultOf(Node node) {
    if (node instanceof Value v) {
      return v.defaultValue() instanceof JsonObject o ? o.copy() : v.defaultValue() instanceof JsonArray a ? a.copy() : v.defaultValue();
    }
    if (node instanceof Named n) {
      return n.defaultValue() == null ? null : n.defaultValue().copy();
    }
    if (node instanceof ListOf l) {
      return l.defaultValue() == null ? null : l.defaultValue().copy();
    }
    return defaults((Section) node);
  }

  /** The node at a dotted key path ({@code edge.tlsPort}), or null. Only sections are walked. */
  static Node at(String path) {
    Node node = ROOT;
    for (String part : path.split("\\.")) {
      if (!(node instanceof Section s) || !s.keys().containsKey(part)) {
        return null;
      }
      node = s.keys().get(part);
    }
    return node;
  }

  /**
   * Every key as README names it: a chosen name as its placeholder ({@code policy.tenants.NAME.allow}),
   * a list's items as {@code registry.hosts[].uri}; lists are keys themselves.
   */
  static List<String> keys() {
    List<String> keys = new ArrayList<>();
    collect(ROOT, "", keys);
    return keys;
  }

  static void collect(Node node, String path, java.util.Collection<String> keys) {
    if (node instanceof Value) {
      keys.add(path);
    } else if (node instanceof Section s) {
      s.keys().forEach((key, child) -> collect(child, path.isEmpty() ? key : path + "." + key, keys));
    } else if (node instanceof Named n) {
      collect(n.each(), path + "." + n.placeholder(), keys);
    } else if (node instanceof ListOf l) {
      keys.add(path);
      collect(l.each(), path + "[]", keys);
    }
  }
}
