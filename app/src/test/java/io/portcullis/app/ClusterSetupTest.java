package io.portcullis.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.config.JoinConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class ClusterSetupTest {
  private static JoinConfig join(JsonObject cluster) {
    return ClusterSetup.clusterManager(cluster).getConfig().getNetworkConfig().getJoin();
  }

  @Test
  void byDefault_tcpIpWithThisNodeAlone_andNoMulticast() {
    JoinConfig join = join(new JsonObject());
    assertThat(join.getMulticastConfig().isEnabled()).isFalse();
    assertThat(join.getTcpIpConfig().isEnabled()).isTrue();
    assertThat(join.getTcpIpConfig().getMembers()).containsExactly("127.0.0.1");
    assertThat(join.getKubernetesConfig().isEnabled()).isFalse();
  }

  @Test
  void aSilentMember_isDroppedAfterTheFailureTimeout() {
    var config = ClusterSetup.clusterManager(new JsonObject().put("failureTimeoutMs", 4000)).getConfig();
    assertThat(config.getProperty("hazelcast.max.no.heartbeat.seconds")).isEqualTo("4");
    assertThat(config.getProperty("hazelcast.heartbeat.interval.seconds")).isEqualTo("1");
    assertThat(ClusterSetup.clusterManager(new JsonObject()).getConfig().getProperty("hazelcast.max.no.heartbeat.seconds")).isEqualTo("10");
  }

  @Test
  void memberList_isTheTcpIpDiscovery() {
    JoinConfig join = join(new JsonObject().put("members", new JsonArray().add("10.0.0.1:5701").add("10.0.0.2:5701")));
    assertThat(join.getTcpIpConfig().getMembers()).containsExactly("10.0.0.1:5701", "10.0.0.2:5701");
  }

  @Test
  void kubernetesServiceDns_replacesTheMemberList() {
    JoinConfig join = join(new JsonObject().put("kubernetesServiceDns", "portcullis-cluster.ns.svc.cluster.local").put("port", 5701));
    assertThat(join.getTcpIpConfig().isEnabled()).isFalse();
    assertThat(join.getMulticastConfig().isEnabled()).isFalse();
    assertThat(join.getKubernetesConfig().isEnabled()).isTrue();
    assertThat(join.getKubernetesConfig().getProperty("service-dns")).isEqualTo("portcullis-cluster.ns.svc.cluster.local");
    assertThat(join.getKubernetesConfig().getProperty("service-port")).isEqualTo("5701");
  }
}
