package io.portcullis.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.portcullis.contracts.ApiException;
import io.portcullis.contracts.IdentifyRequest;
import io.portcullis.contracts.Tenant;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class IdentifierTest {

  private static Identifier identifier(String plaintextTenant) {
    return new Identifier(AuthConfig.fromJson(new JsonObject().put("plaintextTenant", plaintextTenant)));
  }

  @Test
  void plaintextConnection_actsAsTheConfiguredTenant() {
    Tenant tenant = identifier("team-a").identify(IdentifyRequest.plaintext("127.0.0.1:51234"));

    assertThat(tenant).isEqualTo(new Tenant("team-a"));
  }

  @Test
  void plaintextConnection_withDefaultConfig_isTenantLocal() {
    Identifier identifier = new Identifier(AuthConfig.fromJson(new JsonObject()));

    assertThat(identifier.identify(IdentifyRequest.plaintext("127.0.0.1:1")).id()).isEqualTo("local");
  }

  @Test
  void plaintextConnection_ignoresAnyCertificateFingerprint() {
    Tenant tenant = identifier("local").identify(new IdentifyRequest("plaintext", "127.0.0.1:1", "ab:cd"));

    assertThat(tenant.id()).isEqualTo("local");
  }

  @Test
  void tlsConnection_isRefusedWith401() {
    IdentifyRequest tls = new IdentifyRequest("tls", "10.0.0.7:40000", "5e:1f:00");

    assertThatThrownBy(() -> identifier("local").identify(tls))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(401))
        .hasMessageContaining("tls");
  }

  @Test
  void unknownOrMissingTransport_isRefusedWith401() {
    assertThatThrownBy(() -> identifier("local").identify(new IdentifyRequest("PLAINTEXT", "127.0.0.1:1", null)))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(401));
    assertThatThrownBy(() -> identifier("local").identify(new IdentifyRequest(null, "127.0.0.1:1", null)))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(401));
  }

  @Test
  void identifyRequestFromTheBus_isIdentifiedTheSameWay() {
    JsonObject wire = IdentifyRequest.plaintext("127.0.0.1:5").toJson();

    assertThat(wire.containsKey("certificateFingerprint")).isFalse();
    assertThat(identifier("ops").identify(IdentifyRequest.fromJson(wire))).isEqualTo(new Tenant("ops"));
  }
}
