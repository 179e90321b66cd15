package io.portcullis.app.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.app.PortcullisNode;
import io.portcullis.auth.Onboarding;
import io.portcullis.auth.ca.KeyType;
import io.portcullis.auth.ca.Role;
import io.portcullis.contracts.BackendHost;
import io.portcullis.contracts.RegistryClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Nodes with state directories of their own (only the CA and server certificate provisioned on each,
 * as a Kubernetes Secret would): tenants, revocations and host registrations made on one node's
 * directory or through one node reach the others within seconds, and a node started on an empty
 * directory catches up from the cluster, so that no single node's disk is needed.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class ReplicatedStateIT {

  private static JsonObject config(Path state, int tlsPort, int clusterPort, JsonArray members, String cluster) {
    return new JsonObject()
        .put("edge", new JsonObject().put("tlsHost", "127.0.0.1").put("tlsPort", tlsPort).put("instances", 1)
            .put("identityCacheMs", 200).put("routeCacheMs", 200))
        .put("auth", new JsonObject().put("stateDir", state.toString()).put("reloadIntervalMs", 300))
        .put("registry", new JsonObject().put("healthIntervalMs", 500).put("reloadIntervalMs", 300)
            .put("hosts", new JsonArray().add(new JsonObject().put("name", "local").put("uri", System.getenv("PORTCULLIS_IT_DOCKER_HOST")))))
        .put("cluster", new JsonObject().put("host", "127.0.0.1").put("port", clusterPort).put("name", cluster).put("members", members));
  }

  private static void await(String what, BooleanSupplier condition) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as(what).isLessThan(deadline);
      Thread.sleep(200);
    }
  }

  private static boolean localRegistryKnows(PortcullisNode node, String host) {
    try {
      return new RegistryClient(node.vertx(), 5000, true).hosts().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS)
          .stream().anyMatch(h -> h.name().equals(host));
    } catch (Exception e) {
      return false;
    }
  }

  @Test
  void changesOnOneNodesDirectoryReachTheOthers_andAnEmptyNodeCatchesUp() throws Exception {
    Path dirA = Files.createTempDirectory("portcullis-replica-a");
    new Onboarding(dirA).init(List.of("localhost"), List.of("127.0.0.1"));
    Path dirB = ClusterFixtures.provisionedFrom(dirA);
    String cluster = "portcullis-replica-" + UUID.randomUUID().toString().substring(0, 8);
    int[] clusterPorts = {Gateway.freePort(), Gateway.freePort(), Gateway.freePort()};
    JsonArray members = new JsonArray();
    for (int p : clusterPorts) {
      members.add("127.0.0.1:" + p);
    }
    int portA = Gateway.freePort();
    int portB = Gateway.freePort();
    PortcullisNode a = PortcullisNode.start(config(dirA, portA, clusterPorts[0], members, cluster)).toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
    PortcullisNode b = PortcullisNode.start(config(dirB, portB, clusterPorts[1], members, cluster)).toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
    PortcullisNode c = null;
    try {
      String tenant = "replica-" + UUID.randomUUID().toString().substring(0, 6);
      Path bundle = Files.createTempDirectory("portcullis-replica-bundle").resolve(tenant);
      String serial = new Onboarding(dirA).addTenant(tenant, Role.TENANT, bundle, KeyType.EC);
      Map<String, String> tls = Map.of("DOCKER_TLS_VERIFY", "1", "DOCKER_CERT_PATH", bundle.toString());
      DockerCli viaB = new DockerCli("tcp://127.0.0.1:" + portB, tls);
      await("a tenant added on A's directory is known on B", () -> viaB.run("version").exitCode() == 0);
      assertThat(Files.readString(dirB.resolve("tenants.json"))).contains(tenant);

      new RegistryClient(b.vertx(), 5000, true).register(BackendHost.of("extra", "unix://" + dirB.resolve("nowhere.sock")))
          .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      PortcullisNode nodeA = a;
      await("a host registered through B is in A's own registry", () -> localRegistryKnows(nodeA, "extra"));

      // A third node on an empty directory (only its PKI): it catches up from the cluster.
      Path dirC = ClusterFixtures.provisionedFrom(dirA);
      ClusterFixtures.NodeOnPort startedC = ClusterFixtures.startOnFreePort(port -> config(dirC, port, clusterPorts[2], members, cluster));
      c = startedC.node();
      DockerCli viaC = new DockerCli("tcp://127.0.0.1:" + startedC.port(), tls);
      assertThat(viaC.run("version").exitCode()).as("the tenant is known on C from its first request").isZero();
      assertThat(localRegistryKnows(c, "extra")).isTrue();

      new Onboarding(dirB).revokeSerial(serial);
      DockerCli viaA = new DockerCli("tcp://127.0.0.1:" + portA, tls);
      await("a revocation on B's directory is refused by A and C",
          () -> viaA.run("version").exitCode() != 0 && viaC.run("version").exitCode() != 0);
    } finally {
      if (c != null) {
        c.close().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
      }
      b.close().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
      a.close().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }
  }
}
