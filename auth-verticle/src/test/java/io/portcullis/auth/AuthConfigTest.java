package io.portcullis.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AuthConfigTest {

  @Test
  void emptySection_actsAsTenantLocal() {
    assertThat(AuthConfig.fromJson(new JsonObject()).plaintextTenant()).isEqualTo("local");
  }

  @ParameterizedTest(name = "accepted: {0}")
  @ValueSource(strings = {"a", "team-a", "ci_runner.2", "0day", "tenant.example-1_x"})
  void validTenantNames_areAccepted(String tenant) {
    AuthConfig config = AuthConfig.fromJson(new JsonObject().put("plaintextTenant", tenant));

    assertThat(config.plaintextTenant()).isEqualTo(tenant);
  }

  @Test
  void tenantNameOf63Characters_isAccepted() {
    String tenant = "a".repeat(63);

    assertThat(AuthConfig.fromJson(new JsonObject().put("plaintextTenant", tenant)).plaintextTenant()).isEqualTo(tenant);
  }

  @ParameterizedTest(name = "refused: [{0}]")
  @ValueSource(strings = {"", " ", "Team", "LOCAL", "-lead", "_lead", ".hidden", "two words", "a/b", "a:b", "caf\u00e9", "tenant\n"})
  void invalidTenantNames_areRefusedNamingTheKey(String tenant) {
    assertThatThrownBy(() -> AuthConfig.fromJson(new JsonObject().put("plaintextTenant", tenant)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("auth.plaintextTenant");
  }

  @Test
  void tenantNameOf64Characters_isRefusedNamingTheKey() {
    String tenant = "a".repeat(64);

    assertThatThrownBy(() -> AuthConfig.fromJson(new JsonObject().put("plaintextTenant", tenant)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("auth.plaintextTenant")
        .hasMessageContaining(tenant);
  }

  @org.junit.jupiter.api.Test
  void nullTenant_isRefusedNamingTheKey() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> AuthConfig.fromJson(new io.vertx.core.json.JsonObject().putNull("plaintextTenant")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("auth.plaintextTenant");
  }
}
