package io.portcullis.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class RegistryConfigTest {

  @Test
  void emptySection_usesTheDefaults() {
    RegistryConfig config = RegistryConfig.fromJson(new JsonObject());

    assertThat(config.healthIntervalMs()).isEqualTo(5000L);
    assertThat(config.healthTimeoutMs()).isEqualTo(2000L);
  }

  @Test
  void givenValues_areRead() {
    RegistryConfig config = RegistryConfig.fromJson(new JsonObject()
        .put("healthIntervalMs", 750)
        .put("healthTimeoutMs", 300L)
        .put("healthFailuresBeforeDown", 3)
        .put("reloadIntervalMs", 500)
        .put("stateDir", "/var/lib/portcullis")
        .put("hosts", new io.vertx.core.json.JsonArray()));

    assertThat(config).isEqualTo(new RegistryConfig(750L, 300L, 3, 500L, "/var/lib/portcullis", io.portcullis.registry.placement.PlacementConfig.defaults()));
  }

  @Test
  void smallestAllowedValues_areAccepted() {
    RegistryConfig config = RegistryConfig.fromJson(new JsonObject()
        .put("healthIntervalMs", 100)
        .put("healthTimeoutMs", 50));

    assertThat(config).isEqualTo(new RegistryConfig(100L, 50L, 2, 500L, null, io.portcullis.registry.placement.PlacementConfig.defaults()));
  }

  @Test
  void zeroFailuresBeforeDown_isRefusedNamingTheKey() {
    assertThatThrownBy(() -> RegistryConfig.fromJson(new JsonObject().put("healthFailuresBeforeDown", 0)))
        .hasMessageContaining("registry.healthFailuresBeforeDown");
  }

  @Test
  void tooShortInterval_isRefusedNamingTheKey() {
    assertThatThrownBy(() -> RegistryConfig.fromJson(new JsonObject().put("healthIntervalMs", 99)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("registry.healthIntervalMs")
        .hasMessageContaining("99");
  }

  @Test
  void negativeInterval_isRefusedNamingTheKey() {
    assertThatThrownBy(() -> RegistryConfig.fromJson(new JsonObject().put("healthIntervalMs", -1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("registry.healthIntervalMs");
  }

  @Test
  void tooShortTimeout_isRefusedNamingTheKey() {
    assertThatThrownBy(() -> RegistryConfig.fromJson(new JsonObject().put("healthTimeoutMs", 49)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("registry.healthTimeoutMs")
        .hasMessageContaining("49");
  }

  @Test
  void zeroTimeout_isRefusedNamingTheKey() {
    assertThatThrownBy(() -> RegistryConfig.fromJson(new JsonObject().put("healthIntervalMs", 1000).put("healthTimeoutMs", 0)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("registry.healthTimeoutMs");
  }

  @Test
  void nullOrTextInterval_isRefusedNamingTheKey() {
    assertThatThrownBy(() -> RegistryConfig.fromJson(new JsonObject().putNull("healthIntervalMs")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("registry.healthIntervalMs");
    assertThatThrownBy(() -> RegistryConfig.fromJson(new JsonObject().put("healthTimeoutMs", "5s")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("registry.healthTimeoutMs");
  }
}
