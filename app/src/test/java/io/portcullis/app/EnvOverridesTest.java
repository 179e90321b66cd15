package io.portcullis.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvOverridesTest {
  private static final JsonObject DEFAULT_HOSTS = new JsonObject()
      .put("hosts", new JsonArray().add(host("local", "unix:///var/run/docker.sock")));

  private static JsonObject host(String name, String uri) {
    return new JsonObject().put("name", name).put("uri", uri);
  }

  @Test
  void edgePort_isSetAsAnInteger() {
    JsonObject config = EnvOverrides.apply(new JsonObject(), Map.of("PORTCULLIS_TLS_PORT", "2376"));

    assertThat(config.getJsonObject("edge").getValue("tlsPort")).isEqualTo(2376);
  }

  @Test
  void edgePort_isTrimmedBeforeParsing() {
    JsonObject config = EnvOverrides.apply(new JsonObject(), Map.of("PORTCULLIS_TLS_PORT", " 2376 "));

    assertThat(config.getJsonObject("edge").getInteger("tlsPort")).isEqualTo(2376);
  }

  @Test
  void override_replacesOnlyItsKeyAndKeepsTheRestOfTheSection() {
    JsonObject config = new JsonObject().put("edge", new JsonObject().put("tlsHost", "127.0.0.1").put("tlsPort", 2375));

    EnvOverrides.apply(config, Map.of("PORTCULLIS_TLS_PORT", "12375"));

    assertThat(config.getJsonObject("edge")).isEqualTo(new JsonObject().put("tlsHost", "127.0.0.1").put("tlsPort", 12375));
  }

  @Test
  void badInteger_isRefusedNamingTheKeyAndTheVariable() {
    assertThatThrownBy(() -> EnvOverrides.apply(new JsonObject(), Map.of("PORTCULLIS_TLS_PORT", "23x5")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("edge.tlsPort")
        .hasMessageContaining("PORTCULLIS_TLS_PORT")
        .hasMessageContaining("23x5");
  }

  @Test
  void integerOutOfRange_isRefusedNamingTheKeyAndTheVariable() {
    assertThatThrownBy(() -> EnvOverrides.apply(new JsonObject(), Map.of("PORTCULLIS_HEALTH_INTERVAL_MS", "99999999999")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("registry.healthIntervalMs")
        .hasMessageContaining("PORTCULLIS_HEALTH_INTERVAL_MS");
  }

  @Test
  void blankVariable_leavesTheConfiguredValue() {
    JsonObject config = new JsonObject().put("edge", new JsonObject().put("tlsPort", 2375));

    EnvOverrides.apply(config, Map.of("PORTCULLIS_TLS_PORT", "  "));

    assertThat(config.getJsonObject("edge").getInteger("tlsPort")).isEqualTo(2375);
  }

  @Test
  void stringOverride_createsItsSectionWhenMissing() {
    JsonObject config = EnvOverrides.apply(new JsonObject(), Map.of("PORTCULLIS_PLAINTEXT_TENANT", "team-a"));

    assertThat(config.getJsonObject("auth").getString("plaintextTenant")).isEqualTo("team-a");
  }

  @Test
  void healthInterval_goesIntoTheRegistrySectionNextToTheHosts() {
    JsonObject config = EnvOverrides.apply(new JsonObject(), Map.of("PORTCULLIS_HEALTH_INTERVAL_MS", "750"));

    assertThat(config.getJsonObject("registry").getValue("healthIntervalMs")).isEqualTo(750);
    assertThat(config.getJsonObject("registry").getJsonArray("hosts")).isEqualTo(DEFAULT_HOSTS.getJsonArray("hosts"));
  }

  @Test
  void clusterMembers_isACommaSeparatedListWithBlanksDropped() {
    JsonObject config = EnvOverrides.apply(new JsonObject(),
        Map.of("PORTCULLIS_CLUSTER_MEMBERS", " 10.0.0.1:5701, 10.0.0.2:5701 ,,"));

    assertThat(config.getJsonObject("cluster").getJsonArray("members"))
        .isEqualTo(new JsonArray().add("10.0.0.1:5701").add("10.0.0.2:5701"));
  }

  @Test
  void namedBackends_becomeTheRegistryHosts() {
    JsonObject config = EnvOverrides.apply(new JsonObject(),
        Map.of("PORTCULLIS_BACKENDS", "a=unix:///x.sock,b=tcp://127.0.0.1:2375"));

    assertThat(config.getJsonObject("registry").getJsonArray("hosts")).isEqualTo(new JsonArray()
        .add(host("a", "unix:///x.sock"))
        .add(host("b", "tcp://127.0.0.1:2375")));
  }

  @Test
  void bareBackendUris_areNamedHost1Host2() {
    JsonObject config = EnvOverrides.apply(new JsonObject(),
        Map.of("PORTCULLIS_BACKENDS", " unix:///x.sock , tcp://127.0.0.1:2375 "));

    assertThat(config.getJsonObject("registry").getJsonArray("hosts")).isEqualTo(new JsonArray()
        .add(host("host1", "unix:///x.sock"))
        .add(host("host2", "tcp://127.0.0.1:2375")));
  }

  @Test
  void backends_replaceConfiguredHostsAndWinOverDockerHost() {
    JsonObject config = new JsonObject().put("registry", new JsonObject()
        .put("healthTimeoutMs", 300)
        .put("hosts", new JsonArray().add(host("old", "tcp://10.9.9.9:2375"))));

    EnvOverrides.apply(config, Map.of(
        "PORTCULLIS_BACKENDS", "new=tcp://10.0.0.1:2375",
        "DOCKER_HOST", "tcp://10.0.0.99:2375"));

    assertThat(config.getJsonObject("registry")).isEqualTo(new JsonObject()
        .put("healthTimeoutMs", 300)
        .put("hosts", new JsonArray().add(host("new", "tcp://10.0.0.1:2375"))));
  }

  @Test
  void dockerHost_namesTheBackendWhenNoneIsConfigured() {
    JsonObject config = EnvOverrides.apply(new JsonObject(), Map.of("DOCKER_HOST", " tcp://10.0.0.5:2375 "));

    assertThat(config.getJsonObject("registry").getJsonArray("hosts"))
        .isEqualTo(new JsonArray().add(host("local", "tcp://10.0.0.5:2375")));
  }

  @Test
  void dockerHost_alsoFillsAnEmptyHostList() {
    JsonObject config = new JsonObject().put("registry", new JsonObject().put("hosts", new JsonArray()));

    EnvOverrides.apply(config, Map.of("DOCKER_HOST", "unix:///run/user/1000/docker.sock"));

    assertThat(config.getJsonObject("registry").getJsonArray("hosts"))
        .isEqualTo(new JsonArray().add(host("local", "unix:///run/user/1000/docker.sock")));
  }

  @Test
  void dockerHost_isIgnoredWhenHostsAreConfigured() {
    JsonObject config = new JsonObject().put("registry", new JsonObject()
        .put("hosts", new JsonArray().add(host("main", "tcp://10.1.1.1:2375"))));

    EnvOverrides.apply(config, Map.of("DOCKER_HOST", "tcp://10.0.0.5:2375"));

    assertThat(config.getJsonObject("registry").getJsonArray("hosts"))
        .isEqualTo(new JsonArray().add(host("main", "tcp://10.1.1.1:2375")));
  }

  @Test
  void withNoHostsAndNoDockerHost_theLocalDockerSocketIsUsed() {
    JsonObject config = EnvOverrides.apply(new JsonObject(), Map.of());

    assertThat(config.getJsonObject("registry")).isEqualTo(DEFAULT_HOSTS);
  }

  @Test
  void blankDockerHost_fallsBackToTheLocalDockerSocket() {
    JsonObject config = EnvOverrides.apply(new JsonObject(), Map.of("DOCKER_HOST", " "));

    assertThat(config.getJsonObject("registry")).isEqualTo(DEFAULT_HOSTS);
  }

  @Test
  void apply_returnsTheSameConfigObject() {
    JsonObject config = new JsonObject();

    assertThat(EnvOverrides.apply(config, Map.of())).isSameAs(config);
  }

  @Test
  void everyOverride_hasASectionDotKeyPathAndAPortcullisVariable() {
    for (EnvOverrides.Override o : EnvOverrides.TABLE) {
      assertThat(o.variable()).startsWith("PORTCULLIS_");
      assertThat(o.path()).matches("[a-z]+(\\.[a-zA-Z]+)+");
    }
  }

  @Test
  void nestedKey_isSetInsideItsSections() {
    JsonObject config = EnvOverrides.apply(new JsonObject().put("registry", new JsonObject().put("placement",
        new JsonObject().put("pool", new JsonObject().put("tier", "gold")))), Map.of("PORTCULLIS_PLACEMENT_STRATEGY", "binpack"));
    assertThat(config.getJsonObject("registry").getJsonObject("placement").getString("strategy")).isEqualTo("binpack");
    assertThat(config.getJsonObject("registry").getJsonObject("placement").getJsonObject("pool").getString("tier")).isEqualTo("gold");
  }
}
