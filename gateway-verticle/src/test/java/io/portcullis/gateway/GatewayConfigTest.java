package io.portcullis.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class GatewayConfigTest {

  @Test
  void emptySection_usesTheDefaults() {
    GatewayConfig c = GatewayConfig.fromJson(new JsonObject());
    assertThat(c.host()).isEqualTo("127.0.0.1");
    assertThat(c.port()).isEqualTo(2375);
    assertThat(c.routeCacheMs()).isEqualTo(1000L);
  }

  @Test
  void wrongTypesAndNulls_areRefusedNamingTheKey() {
    assertThatThrownBy(() -> GatewayConfig.fromJson(new JsonObject().put("port", "2375x")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("edge.port");
    assertThatThrownBy(() -> GatewayConfig.fromJson(new JsonObject().putNull("routeCacheMs")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("edge.routeCacheMs");
    assertThatThrownBy(() -> GatewayConfig.fromJson(new JsonObject().put("port", 1.5)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("edge.port");
  }

  @Test
  void outOfRangeValues_areRefusedNamingTheKey() {
    assertThatThrownBy(() -> GatewayConfig.fromJson(new JsonObject().put("port", 70000)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("edge.port");
    assertThatThrownBy(() -> GatewayConfig.fromJson(new JsonObject().put("maxHeaderBytes", 10)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("edge.maxHeaderBytes");
  }
}
