package io.portcullis.gateway.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.portcullis.contracts.ApiException;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class QuotaPolicyTest {
  private final QuotaPolicy quotas = new QuotaPolicy(PolicyConfig.fromJson(new JsonObject()
      .put("quotas", new JsonObject().put("defaultMemoryBytes", 100).put("maxMemoryBytes", 1000)
          .put("defaultCpus", 0.5).put("maxCpus", 2).put("defaultPids", 10).put("maxPids", 50))
      .put("tenants", new JsonObject().put("big", new JsonObject().put("quotas", new JsonObject().put("maxMemoryBytes", 5000))))));

  @Test
  void create_withoutLimits_getsTheDefaults() {
    JsonObject body = new JsonObject().put("Image", "x");
    quotas.applyToCreate("alice", body);
    assertThat(body.getJsonObject("HostConfig").getMap())
        .containsEntry("Memory", 100L).containsEntry("NanoCpus", 500_000_000L).containsEntry("PidsLimit", 10L);
  }

  @Test
  void create_withACpuQuota_keepsItAndGetsNoNanoCpus_dockerRefusesBoth() {
    JsonObject body = new JsonObject().put("HostConfig", new JsonObject().put("CpuQuota", 50_000).put("CpuPeriod", 100_000));
    quotas.applyToCreate("alice", body);
    assertThat(body.getJsonObject("HostConfig").containsKey("NanoCpus")).isFalse();
  }

  @ParameterizedTest(name = "{0}={1} refused by {2}")
  @CsvSource({
      "Memory, 1001, maxMemoryBytes",
      "NanoCpus, 2000000001, maxCpus",
      "CpuQuota, 300000, maxCpus",
      "PidsLimit, 51, maxPids",
  })
  void create_aboveTheMaximum_isRefusedNamingTheQuota(String field, long value, String quota) {
    JsonObject body = new JsonObject().put("HostConfig", new JsonObject().put(field, value));
    assertThatThrownBy(() -> quotas.applyToCreate("alice", body))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(403))
        .hasMessageContaining("quota " + quota);
  }

  @Test
  void aTenantsOwnQuota_replacesTheGeneralOne() {
    JsonObject body = new JsonObject().put("HostConfig", new JsonObject().put("Memory", 4000));
    quotas.applyToCreate("big", body);
    assertThat(body.getJsonObject("HostConfig").getLong("Memory")).isEqualTo(4000L);
  }

  @ParameterizedTest(name = "update {0}={1} refused")
  @CsvSource({
      "Memory, 2000",
      "Memory, -1",
      "CpuQuota, -1",
      "NanoCpus, 3000000000",
      "PidsLimit, 0",
      "PidsLimit, -1",
      "PidsLimit, 51",
  })
  void update_thatRaisesOrRemovesALimit_isRefused(String field, long value) {
    assertThatThrownBy(() -> quotas.checkUpdate("alice", new JsonObject().put(field, value)))
        .isInstanceOf(ApiException.class).hasMessageContaining("quota");
  }

  @Test
  void update_withinTheLimits_passes() {
    org.assertj.core.api.Assertions.assertThatCode(() -> quotas.checkUpdate("alice",
        new JsonObject().put("Memory", 500).put("PidsLimit", 20).put("RestartPolicy", new JsonObject().put("Name", "always"))))
        .doesNotThrowAnyException();
  }

  @Test
  void invalidQuotaConfiguration_isRefusedNamingTheKey() {
    assertThatThrownBy(() -> PolicyConfig.fromJson(new JsonObject().put("quotas", new JsonObject().put("maxPids", -1))))
        .hasMessageContaining("policy.quotas.maxPids");
    assertThatThrownBy(() -> PolicyConfig.fromJson(new JsonObject().put("quotas",
        new JsonObject().put("defaultMemoryBytes", 10).put("maxMemoryBytes", 5))))
        .hasMessageContaining("policy.quotas.defaultMemoryBytes");
  }

  @Test
  void build_getsDefaultLimits_andIsRefusedAboveTheMaximum() {
    assertThat(quotas.buildLimits("alice", java.util.Map.of()))
        .containsEntry("memory", "100").containsEntry("cpuperiod", "100000").containsEntry("cpuquota", "50000");
    assertThat(quotas.buildLimits("alice", java.util.Map.of("memory", java.util.List.of("500")))).doesNotContainKey("memory");
    assertThatThrownBy(() -> quotas.buildLimits("alice", java.util.Map.of("memory", java.util.List.of("5000"))))
        .hasMessageContaining("quota maxMemoryBytes");
    assertThatThrownBy(() -> quotas.buildLimits("alice", java.util.Map.of("cpuquota", java.util.List.of("900000"))))
        .hasMessageContaining("quota maxCpus");
    assertThatThrownBy(() -> quotas.buildLimits("alice", java.util.Map.of("memory", java.util.List.of("lots"))))
        .hasMessageContaining("must be a number");
  }
}
