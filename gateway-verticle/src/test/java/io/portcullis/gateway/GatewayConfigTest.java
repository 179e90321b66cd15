package io.portcullis.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class GatewayConfigTest {
  private static JsonObject tls() {
    return new JsonObject().put("tlsCertPath", "/s/cert.pem").put("tlsKeyPath", "/s/key.pem");
  }

  @Test
  void defaults_areATls13ListenerOnLoopback2376_andNoPlaintextListener() {
    GatewayConfig c = GatewayConfig.fromJson(tls());
    assertThat(c.tlsHost()).isEqualTo("127.0.0.1");
    assertThat(c.tlsPort()).isEqualTo(2376);
    assertThat(c.tlsProtocols()).containsExactly("TLSv1.3");
    assertThat(c.plaintextEnabled()).isFalse();
    assertThat(c.routeCacheMs()).isEqualTo(1000L);
  }

  @Test
  void tlsListener_needsItsCertificateAndKey() {
    assertThatThrownBy(() -> GatewayConfig.fromJson(new JsonObject()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("edge.tlsCertPath");
  }

  @Test
  void plaintextListener_isLoopbackOnlyUnlessForced() {
    assertThatThrownBy(() -> GatewayConfig.fromJson(tls().put("plaintextPort", 2375).put("plaintextHost", "0.0.0.0")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("edge.plaintextHost");
    GatewayConfig forced = GatewayConfig.fromJson(tls().put("plaintextPort", 2375).put("plaintextHost", "0.0.0.0")
        .put("plaintextAllowNonLoopback", true));
    assertThat(forced.plaintextEnabled()).isTrue();
    assertThat(GatewayConfig.fromJson(new JsonObject().put("tlsPort", -1).put("plaintextPort", 2375)).plaintextHost())
        .isEqualTo("127.0.0.1");
  }

  @Test
  void noListenerAtAll_isRefused() {
    assertThatThrownBy(() -> GatewayConfig.fromJson(new JsonObject().put("tlsPort", -1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no listener");
  }

  @Test
  void wrongTypesAndNulls_areRefusedNamingTheKey() {
    assertThatThrownBy(() -> GatewayConfig.fromJson(tls().put("tlsPort", "2376x")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("edge.tlsPort");
    assertThatThrownBy(() -> GatewayConfig.fromJson(tls().putNull("routeCacheMs")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("edge.routeCacheMs");
    assertThatThrownBy(() -> GatewayConfig.fromJson(tls().put("plaintextPort", 1.5)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("edge.plaintextPort");
    assertThatThrownBy(() -> GatewayConfig.fromJson(tls().put("tlsProtocols", new io.vertx.core.json.JsonArray().add("SSLv3"))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("edge.tlsProtocols");
  }

  @Test
  void outOfRangeValues_areRefusedNamingTheKey() {
    assertThatThrownBy(() -> GatewayConfig.fromJson(tls().put("tlsPort", 70000)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("edge.tlsPort");
    assertThatThrownBy(() -> GatewayConfig.fromJson(tls().put("maxHeaderBytes", 10)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("edge.maxHeaderBytes");
  }

  @Test
  void faultsAndTimeouts_haveTheirDefaults_andRefuseOutOfRangeValuesNamingTheKey() {
    GatewayConfig c = GatewayConfig.fromJson(tls());
    assertThat(c.backendResponseTimeoutMs()).isEqualTo(60_000L);
    assertThat(c.tcpKeepAlive()).isEqualTo(new io.portcullis.gateway.channel.TcpKeepAlive(60, 10, 6));
    assertThat(GatewayConfig.fromJson(tls().put("backendResponseTimeoutMs", 0)).backendResponseTimeoutMs()).as("0: no limit").isZero();
    assertThatThrownBy(() -> GatewayConfig.fromJson(tls().put("backendResponseTimeoutMs", -1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("edge.backendResponseTimeoutMs");
    assertThatThrownBy(() -> GatewayConfig.fromJson(tls().put("tcpKeepAliveIdleSeconds", 0)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("edge.tcpKeepAliveIdleSeconds");
    assertThatThrownBy(() -> GatewayConfig.fromJson(tls().put("tcpKeepAliveIntervalSeconds", 40000)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("edge.tcpKeepAliveIntervalSeconds");
    assertThatThrownBy(() -> GatewayConfig.fromJson(tls().put("tcpKeepAliveCount", 128)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("edge.tcpKeepAliveCount");
  }
}
