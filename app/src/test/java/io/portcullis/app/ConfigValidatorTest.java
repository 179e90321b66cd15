package io.portcullis.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.portcullis.gateway.policy.CreatePolicy;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** A configuration file over the jar's defaults, and environment variables over both, checked as Main loads them. */
class ConfigValidatorTest {
  @TempDir
  Path tmp;

  /** What an operator's file holds → the one line the node stops with (after "portcullis: "). */
  static Stream<Arguments> badFiles() {
    return Stream.of(
        Arguments.of("{\"edge\": {\"tlsPort\": \"abc\"}}",
            "invalid configuration: edge.tlsPort must be a port number 0-65535 (or -1 for off), got \"abc\""),
        Arguments.of("{\"edge\": {\"tlsPort\": 65536}}",
            "invalid configuration: edge.tlsPort must be a port number 0-65535 (or -1 for off), got 65536"),
        Arguments.of("{\"edge\": {\"tlsprot\": 2376}}",
            "invalid configuration: unknown key edge.tlsprot (did you mean edge.tlsPort?)"),
        Arguments.of("{\"egde\": {}}",
            "invalid configuration: unknown key egde (did you mean edge?)"),
        Arguments.of("{\"metrics\": {\"port\": 9090}}",
            "invalid configuration: unknown key metrics (known keys: node, edge, auth, registry, admin, limits, audit, cluster, policy)"),
        Arguments.of("{\"edge\": 2376}",
            "invalid configuration: edge must be an object, got 2376"),
        Arguments.of("{\"edge\": {\"plaintextAllowNonLoopback\": \"yes\"}}",
            "invalid configuration: edge.plaintextAllowNonLoopback must be true or false, got \"yes\""),
        Arguments.of("{\"edge\": {\"shutdownGraceMs\": -1}}",
            "invalid configuration: edge.shutdownGraceMs must be a duration in milliseconds >= 0, got -1"),
        Arguments.of("{\"edge\": {\"tlsHandshakeTimeoutMs\": 1.5}}",
            "invalid configuration: edge.tlsHandshakeTimeoutMs must be a duration in milliseconds >= 1, got 1.5"),
        Arguments.of("{\"edge\": {\"maxHeaderBytes\": 3000000000}}",
            "invalid configuration: edge.maxHeaderBytes must be a whole number of bytes >= 1024, got 3000000000"),
        Arguments.of("{\"edge\": {\"tlsProtocols\": [\"TLSv1.1\"]}}",
            "invalid configuration: edge.tlsProtocols must be a non-empty list of TLSv1.2, TLSv1.3, got [\"TLSv1.1\"]"),
        Arguments.of("{\"auth\": {\"reloadIntervalMs\": 50}}",
            "invalid configuration: auth.reloadIntervalMs must be a duration in milliseconds >= 100, got 50"),
        Arguments.of("{\"auth\": {\"plaintextTenant\": \"Bob\"}}",
            "invalid configuration: auth.plaintextTenant must be a tenant name (1-63 characters of a-z, 0-9, '_', '.', '-'), got \"Bob\""),
        Arguments.of("{\"node\": {\"roles\": [\"edge\", \"gateway\"]}}",
            "invalid configuration: node.roles must be a non-empty list of edge, auth, registry, admin, got [\"edge\",\"gateway\"]"),
        Arguments.of("{\"node\": {\"roles\": []}}",
            "invalid configuration: node.roles must be a non-empty list of edge, auth, registry, admin, got []"),
        Arguments.of("{\"registry\": {\"placement\": {\"strategy\": \"bnpack\"}}}",
            "invalid configuration: registry.placement.strategy must be one of spread, binpack, got \"bnpack\""),
        Arguments.of("{\"registry\": {\"placement\": {\"pool\": {\"tier\": 1}}}}",
            "invalid configuration: registry.placement.pool must be an object of label strings, like {\"tier\": \"gold\"}, got {\"tier\":1}"),
        Arguments.of("{\"registry\": {\"placement\": {\"tenants\": {\"alice\": {\"pol\": {}}}}}}",
            "invalid configuration: unknown key registry.placement.tenants.alice.pol (did you mean registry.placement.tenants.alice.pool?)"),
        Arguments.of("{\"registry\": {\"hosts\": [{\"name\": \"h1\", \"uri\": \"ssh://h1\"}]}}",
            "invalid configuration: registry.hosts[0].uri must be a unix:///path or tcp://host:port address, got \"ssh://h1\""),
        Arguments.of("{\"registry\": {\"hosts\": [{\"name\": \"h1\", \"uri\": \"unix:///d.sock\", \"lables\": {}}]}}",
            "invalid configuration: unknown key registry.hosts[0].lables (did you mean registry.hosts[0].labels?)"),
        Arguments.of("{\"registry\": {\"hosts\": {\"h1\": \"unix:///d.sock\"}}}",
            "invalid configuration: registry.hosts must be a list, got {\"h1\":\"unix:///d.sock\"}"),
        Arguments.of("{\"registry\": {\"healthFailuresBeforeDown\": 0}}",
            "invalid configuration: registry.healthFailuresBeforeDown must be a whole number >= 1, got 0"),
        Arguments.of("{\"admin\": {\"port\": -2}}",
            "invalid configuration: admin.port must be a port number 0-65535 (or -1 for off), got -2"),
        Arguments.of("{\"cluster\": {\"port\": 70000}}",
            "invalid configuration: cluster.port must be a port number 0-65535, got 70000"),
        Arguments.of("{\"cluster\": {\"members\": \"10.0.0.1:5701\"}}",
            "invalid configuration: cluster.members must be a list of strings, got \"10.0.0.1:5701\""),
        Arguments.of("{\"cluster\": {\"kubernetesServiceDns\": null}}",
            "invalid configuration: cluster.kubernetesServiceDns must be a string, got null"),
        Arguments.of("{\"policy\": {\"quotas\": {\"maxCpus\": -2}}}",
            "invalid configuration: policy.quotas.maxCpus must be a number of CPUs >= 0, got -2"),
        Arguments.of("{\"policy\": {\"tenants\": {\"alice\": {\"alow\": [\"privileged\"]}}}}",
            "invalid configuration: unknown key policy.tenants.alice.alow (did you mean policy.tenants.alice.allow?)"),
        Arguments.of("{\"policy\": {\"tenants\": {\"alice\": {\"allow\": [\"privilegd\"]}}}}",
            "invalid configuration: policy.tenants.alice.allow must be a list of rule names (" + String.join(", ", CreatePolicy.RULES)
                + "), got [\"privilegd\"]"),
        Arguments.of("{\"policy\": {\"tenants\": {\"alice\": {\"quotas\": {\"maxPids\": \"many\"}}}}}",
            "invalid configuration: policy.tenants.alice.quotas.maxPids must be a whole number >= 0, got \"many\""),
        Arguments.of("{\"policy\": {\"hostPortMax\": 65536}}",
            "invalid configuration: policy.hostPortMax must be a port number 0-65535, got 65536"));
  }

  @ParameterizedTest
  @MethodSource("badFiles")
  void aBadFile_isRefusedWithOneLineNamingTheKey(String file, String message) throws Exception {
    assertThatThrownBy(() -> load(file, Map.of())).isInstanceOf(InvalidConfigurationException.class).hasMessage(message);
  }

  /** Environment variable → the line naming the key and the variable. */
  static Stream<Arguments> badVariables() {
    return Stream.of(
        Arguments.of("PORTCULLIS_TLS_PORT", "abc",
            "invalid configuration: edge.tlsPort (from PORTCULLIS_TLS_PORT) must be a port number 0-65535 (or -1 for off), got \"abc\""),
        Arguments.of("PORTCULLIS_ADMIN_PORT", "70000",
            "invalid configuration: admin.port (from PORTCULLIS_ADMIN_PORT) must be a port number 0-65535 (or -1 for off), got 70000"),
        Arguments.of("PORTCULLIS_HEALTH_INTERVAL_MS", "99999999999",
            "invalid configuration: registry.healthIntervalMs (from PORTCULLIS_HEALTH_INTERVAL_MS) must be a duration in milliseconds >= 100, got \"99999999999\""),
        Arguments.of("PORTCULLIS_PLACEMENT_STRATEGY", "pack",
            "invalid configuration: registry.placement.strategy (from PORTCULLIS_PLACEMENT_STRATEGY) must be one of spread, binpack, got \"pack\""),
        Arguments.of("PORTCULLIS_ROLES", "edge,gate",
            "invalid configuration: node.roles (from PORTCULLIS_ROLES) must be a non-empty list of edge, auth, registry, admin, got [\"edge\",\"gate\"]"),
        Arguments.of("PORTCULLIS_PLAINTEXT_TENANT", "Local",
            "invalid configuration: auth.plaintextTenant (from PORTCULLIS_PLAINTEXT_TENANT) must be a tenant name (1-63 characters of a-z, 0-9, '_', '.', '-'), got \"Local\""),
        Arguments.of("PORTCULLIS_BACKENDS", "h1=ftp://h1",
            "invalid configuration: registry.hosts[0].uri (from PORTCULLIS_BACKENDS) must be a unix:///path or tcp://host:port address, got \"ftp://h1\""),
        Arguments.of("DOCKER_HOST", "ssh://me@h1",
            "invalid configuration: registry.hosts[0].uri (from DOCKER_HOST) must be a unix:///path or tcp://host:port address, got \"ssh://me@h1\""));
  }

  @ParameterizedTest
  @MethodSource("badVariables")
  void aBadVariable_isRefusedNamingTheKeyAndTheVariable(String variable, String value, String message) throws Exception {
    assertThatThrownBy(() -> load(null, Map.of(variable, value))).isInstanceOf(InvalidConfigurationException.class).hasMessage(message);
  }

  @Test
  void aFileThatIsNotJson_isRefusedSayingWhere() throws Exception {
    assertThatThrownBy(() -> load("{\"edge\": {\n", Map.of())).isInstanceOf(InvalidConfigurationException.class)
        .hasMessageStartingWith("invalid configuration: configuration file " + tmp.resolve("portcullis.json") + " is not valid JSON: ")
        .hasMessageEndingWith(" at line 2, column 1")
        .hasMessageNotContaining("\n");
  }

  @Test
  void theJarsDefaults_pass() {
    JsonObject defaults = ConfigLoader.defaults();
    assertThatCode(() -> ConfigValidator.validate(defaults)).doesNotThrowAnyException();
    assertThat(defaults.getJsonObject("edge").getInteger("tlsPort")).isEqualTo(2376);
  }

  @Test
  void aFileWithTenantsHostsAndPools_passes() throws Exception {
    String file = new JsonObject()
        .put("edge", new JsonObject().put("tlsPort", -1).put("plaintextPort", 2375).put("tlsCertPath", "/etc/p/cert.pem"))
        .put("registry", new JsonObject()
            .put("hosts", new JsonArray()
                .add(new JsonObject().put("name", "h1").put("uri", "unix:///var/run/docker.sock").put("labels", new JsonObject().put("tier", "gold")))
                .add(new JsonObject().put("name", "h2").put("uri", "tcp://docker_dind:2376").put("capacity", 50)
                    .put("tls", new JsonObject().put("caFile", "/ca.pem").put("certFile", "/cert.pem").put("keyFile", "/key.pem"))))
            .put("placement", new JsonObject().put("strategy", "binpack")
                .put("tenants", new JsonObject().put("alice", new JsonObject().put("pool", new JsonObject().put("tier", "gold"))))))
        .put("policy", new JsonObject().put("allowedCapabilities", new JsonArray().add("net_admin"))
            .put("tenants", new JsonObject()
                .put("alice", new JsonObject().put("allow", new JsonArray().add("privileged")))
                .put("bob", new JsonObject().put("quotas", new JsonObject().put("maxContainers", 3).put("maxCpus", 0.5).put("defaultCpus", 0.5)))))
        .put("node", new JsonObject().put("roles", new JsonArray().add("Edge").add(" auth ")))
        .encode();

    JsonObject config = load(file, Map.of("PORTCULLIS_ADMIN_PORT", "-1"));

    assertThat(config.getJsonObject("registry").getJsonArray("hosts")).hasSize(2);
    assertThat(config.getJsonObject("admin").getInteger("port")).isEqualTo(-1);
  }

  @Test
  void suggestions_comeOnlyForNearMisses() {
    assertThat(ConfigValidator.distance("tlsprot", "tlsport")).as("a swap is one edit").isEqualTo(1);
    assertThat(ConfigValidator.distance("egde", "node")).isEqualTo(2);
    assertThat(ConfigValidator.distance("", "abc")).isEqualTo(3);
    assertThatThrownBy(() -> ConfigValidator.validate(new JsonObject().put("cluster", new JsonObject().put("zookeeper", "zk:2181"))))
        .hasMessage("invalid configuration: unknown key cluster.zookeeper (known keys of cluster: name, host, port, busPort, members, "
            + "failureTimeoutMs, kubernetesServiceDns)");
  }

  /** As Main loads it: the jar's defaults, then {@code file} (if any), then {@code env}. */
  private JsonObject load(String file, Map<String, String> env) throws Exception {
    Path path = null;
    if (file != null) {
      path = tmp.resolve("portcullis.json");
      Files.writeString(path, file);
    }
    Vertx vertx = Vertx.vertx();
    try {
      return ConfigLoader.load(vertx, path == null ? null : path.toString(), new HashMap<>(env))
          .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw (Exception) e.getCause();
    } finally {
      vertx.close();
    }
  }
}
