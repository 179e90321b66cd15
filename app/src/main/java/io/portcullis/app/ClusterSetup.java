package io.portcullis.app;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

/**
 * The Hazelcast member this node runs, from config key {@code cluster}: bound to one interface
 * (loopback by default), multicast and auto-detection off, and one discovery: TCP/IP from an explicit
 * member list (this node alone by default), or, with {@code cluster.kubernetesServiceDns}, Kubernetes
 * DNS lookups of a headless service (the pods behind it are the members).
 */
final class ClusterSetup {
  private ClusterSetup() {}

  static HazelcastClusterManager clusterManager(JsonObject cluster) {
    String host = cluster.getString("host", "127.0.0.1");
    int port = cluster.getInteger("port", 5701);
    JsonArray members = cluster.getJsonArray("members", new JsonArray());
    Config config = ConfigUtil.loadConfig();
    config.setClusterName(cluster.getString("name", "portcullis"));
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.setProperty("hazelcast.logging.type", "jdk");
    config.setProperty("hazelcast.shutdownhook.enabled", "false");
    config.setProperty("hazelcast.local.localAddress", host);
    // A member that stops answering (killed, partitioned) is dropped after this long, not Hazelcast's
    // default 60 s: until then cluster-wide requests may be sent to it and wait.
    int failureSeconds = (int) Math.max(2, Math.ceil(cluster.getLong("failureTimeoutMs", 10_000L) / 1000.0));
    config.setProperty("hazelcast.heartbeat.interval.seconds", "1");
    config.setProperty("hazelcast.max.no.heartbeat.seconds", String.valueOf(failureSeconds));
    // After a partition heals (or a paused member resumes), the sides look for each other and merge
    // every few seconds rather than Hazelcast's two minutes.
    config.setProperty("hazelcast.merge.first.run.delay.seconds", "5");
    config.setProperty("hazelcast.merge.next.run.delay.seconds", "5");
    NetworkConfig network = config.getNetworkConfig();
    network.setPort(port).setPortAutoIncrement(true);
    network.getInterfaces().setEnabled(true).setInterfaces(java.util.List.of(host));
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    String serviceDns = cluster.getString("kubernetesServiceDns", "");
    if (!serviceDns.isBlank()) {
      join.getTcpIpConfig().setEnabled(false);
      join.getKubernetesConfig().setEnabled(true).setProperty("service-dns", serviceDns.trim())
          .setProperty("service-port", String.valueOf(port));
      return new HazelcastClusterManager(config);
    }
    java.util.List<String> memberList = members.isEmpty()
        ? java.util.List.of(host)
        : members.stream().map(Object::toString).toList();
    join.getTcpIpConfig().setEnabled(true).setMembers(new java.util.ArrayList<>(memberList));
    return new HazelcastClusterManager(config);
  }
}
