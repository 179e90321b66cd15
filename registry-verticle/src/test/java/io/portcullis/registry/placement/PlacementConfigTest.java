package io.portcullis.registry.placement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PlacementConfigTest {
  @Test
  void defaults_spreadOverEveryHost() {
    PlacementConfig config = PlacementConfig.fromJson(null);
    assertThat(config.placement().strategy()).isEqualTo("spread");
    assertThat(config.poolOf("anyone")).isEmpty();
  }

  @Test
  void tenantsPool_replacesTheDefaultPool() {
    PlacementConfig config = PlacementConfig.fromJson(new JsonObject("""
        {"strategy": "binpack", "pool": {"tier": "shared"}, "tenants": {"alice": {"pool": {"tier": "gold"}}}}"""));
    assertThat(config.placement().strategy()).isEqualTo("binpack");
    assertThat(config.poolOf("alice")).isEqualTo(Map.of("tier", "gold"));
    assertThat(config.poolOf("bob")).isEqualTo(Map.of("tier", "shared"));
  }

  @Test
  void invalidSettings_nameTheirKey() {
    assertThatThrownBy(() -> PlacementConfig.fromJson(new JsonObject().put("strategy", "random")))
        .hasMessageContaining("registry.placement.strategy");
    assertThatThrownBy(() -> PlacementConfig.fromJson(new JsonObject().put("pool", "gold")))
        .hasMessageContaining("registry.placement.pool");
    assertThatThrownBy(() -> PlacementConfig.fromJson(new JsonObject("{\"tenants\": {\"alice\": {\"pool\": {\"tier\": 1}}}}")))
        .hasMessageContaining("registry.placement.tenants.alice.pool.tier");
    assertThatThrownBy(() -> PlacementConfig.fromJson(new JsonObject("{\"tenants\": {\"alice\": 3}}")))
        .hasMessageContaining("registry.placement.tenants.alice");
  }
}
