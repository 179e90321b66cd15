package io.portcullis.gateway.limits;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.contracts.ApiException;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class EdgeLimitsTest {
  private final AtomicLong clock = new AtomicLong();

  private EdgeLimits limits(int connections, int perTenant, int sessions, int sessionsPerTenant, int rate, int burst) {
    return new EdgeLimits(new LimitsConfig(connections, perTenant, sessions, sessionsPerTenant, rate, burst, 0, 0), clock::get);
  }

  @Test
  void theRate_allowsTheBurst_thenRefillsAtTheRate() {
    EdgeLimits limits = limits(0, 0, 0, 0, 10, 3);
    assertThat(limits.request("a")).isNull();
    assertThat(limits.request("a")).isNull();
    assertThat(limits.request("a")).isNull();
    ApiException refused = limits.request("a");
    assertThat(refused.status()).isEqualTo(429);
    assertThat(refused.rule()).isEqualTo("limit:tenant-rate");
    assertThat(refused.getMessage()).contains("10 per second");
    assertThat(limits.request("b")).as("another tenant has its own bucket").isNull();
    clock.addAndGet(100_000_000L);
    assertThat(limits.request("a")).as("a tenth of a second gives one token at 10/s").isNull();
    assertThat(limits.request("a")).isNotNull();
    clock.addAndGet(10_000_000_000L);
    for (int i = 0; i < 3; i++) {
      assertThat(limits.request("a")).as("refilled to the burst, not beyond").isNull();
    }
    assertThat(limits.request("a")).isNotNull();
  }

  @Test
  void sessions_perTenantAndPerNode_areTakenAndGivenBack() {
    EdgeLimits limits = limits(0, 0, 3, 2, 0, 0);
    assertThat(limits.sessionOpening("a")).isNull();
    assertThat(limits.sessionOpening("a")).isNull();
    ApiException tenantFull = limits.sessionOpening("a");
    assertThat(tenantFull.status()).isEqualTo(429);
    assertThat(tenantFull.rule()).isEqualTo("limit:tenant-sessions");
    assertThat(limits.sessionOpening("b")).isNull();
    ApiException nodeFull = limits.sessionOpening("c");
    assertThat(nodeFull.status()).isEqualTo(503);
    assertThat(nodeFull.rule()).isEqualTo("limit:node-sessions");
    assertThat(limits.sessionsOpen()).as("refusals give their slot back").isEqualTo(3);
    limits.sessionClosed("a");
    assertThat(limits.sessionOpening("a")).isNull();
  }

  @Test
  void connections_perTenantAndPerNode() {
    EdgeLimits limits = limits(2, 1, 0, 0, 0, 0);
    assertThat(limits.connectionOpened()).isNull();
    assertThat(limits.tenantConnectionOpened("a")).isNull();
    assertThat(limits.tenantConnectionOpened("a").status()).isEqualTo(429);
    limits.tenantConnectionClosed("a");
    assertThat(limits.connectionOpened()).isNull();
    ApiException full = limits.connectionOpened();
    assertThat(full.status()).isEqualTo(503);
    assertThat(full.rule()).isEqualTo("limit:node-connections");
    limits.connectionClosed();
    limits.connectionClosed();
    assertThat(limits.connectionOpened()).isNull();
  }

  @Test
  void zeroMeansNoLimit_andNegativeValuesAreRefusedByName() {
    EdgeLimits limits = new EdgeLimits(LimitsConfig.none(), clock::get);
    for (int i = 0; i < 10_000; i++) {
      assertThat(limits.request("a")).isNull();
    }
    assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> LimitsConfig.fromJson(new JsonObject().put("maxSessions", -1))))
        .hasMessage("limits.maxSessions must be 0 (no limit) or more, got -1");
  }
}
