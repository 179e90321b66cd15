package io.portcullis.app.it;

import static io.portcullis.app.it.Gateway.IMAGE;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Two full nodes of one cluster on loopback sharing one state directory, as k8s/ runs them: a tenant
 * uses node A for {@code run -d} and node B for {@code logs} and {@code rm}; a host registered over
 * the bus on one node is known on the other; a certificate revoked on the state directory is refused
 * by both nodes within seconds. (Quotas across nodes need separate processes: NodeKilledIT.)
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class TwoNodesIT {

  private static JsonObject nodeConfig(Path state, int tlsPort, int clusterPort, JsonArray members, String cluster) {
    return new JsonObject()
        .put("edge", new JsonObject().put("tlsHost", "127.0.0.1").put("tlsPort", tlsPort).put("instances", 1))
        .put("auth", new JsonObject().put("stateDir", state.toString()).put("reloadIntervalMs", 200))
        .put("registry", new JsonObject().put("healthIntervalMs", 500).put("reloadIntervalMs", 200)
            .put("hosts", new JsonArray().add(new JsonObject().put("name", "local").put("uri", System.getenv("PORTCULLIS_IT_DOCKER_HOST")))))
        .put("cluster", new JsonObject().put("host", "127.0.0.1").put("port", clusterPort).put("name", cluster).put("members", members));
  }

  @Test
  void aTenantUsesEitherNode_andChangesMadeOnOneAreSeenOnTheOther() throws Exception {
    Path state = Files.createTempDirectory("portcullis-two-nodes");
    Onboarding onboarding = new Onboarding(state);
    onboarding.init(List.of("localhost"), List.of("127.0.0.1"));
    String tenant = "two-" + UUID.randomUUID().toString().substring(0, 6);
    Path bundle = state.resolve("bundles").resolve(tenant);
    String serial = onboarding.addTenant(tenant, Role.TENANT, bundle, KeyType.EC);
    String cluster = "portcullis-two-" + UUID.randomUUID().toString().substring(0, 8);
    int clusterA = Gateway.freePort();
    int clusterB = Gateway.freePort();
    JsonArray members = new JsonArray().add("127.0.0.1:" + clusterA).add("127.0.0.1:" + clusterB);
    int portA = Gateway.freePort();
    int portB = Gateway.freePort();
    PortcullisNode a = PortcullisNode.start(nodeConfig(state, portA, clusterA, members, cluster)).toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
    PortcullisNode b = PortcullisNode.start(nodeConfig(state, portB, clusterB, members, cluster)).toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
    Map<String, String> tls = Map.of("DOCKER_TLS_VERIFY", "1", "DOCKER_CERT_PATH", bundle.toString());
    DockerCli viaA = new DockerCli("tcp://127.0.0.1:" + portA, tls);
    DockerCli viaB = new DockerCli("tcp://127.0.0.1:" + portB, tls);
    try {
      String name = "two-" + UUID.randomUUID().toString().substring(0, 6);
      viaA.run("run", "-d", "--name", name, "--network", "none", IMAGE, "sh", "-c", "echo from-node-a; sleep 300").ok();
      assertThat(viaB.run("logs", name).ok().out()).contains("from-node-a");
      assertThat(viaB.run("ps", "--format", "{{.Names}}").ok().out()).contains(name);
      viaB.run("rm", "-f", name).ok();
      assertThat(viaA.run("ps", "-a", "--format", "{{.Names}}").ok().out()).doesNotContain(name);

      // Registered with a message on node B (stored in the shared state directory): node A knows it.
      new RegistryClient(b.vertx(), 5000).register(BackendHost.of("extra", "unix://" + state.resolve("nowhere.sock")))
          .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      awaitOnEveryRegistry(a, "extra");

      onboarding.revokeSerial(serial);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      boolean refusedByBoth = false;
      while (!refusedByBoth && System.nanoTime() < deadline) {
        refusedByBoth = viaA.run("version").exitCode() != 0 && viaB.run("version").exitCode() != 0;
        Thread.sleep(200);
      }
      assertThat(refusedByBoth).as("the revoked certificate is refused by both nodes").isTrue();
    } finally {
      b.close().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
      a.close().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }
  }

  /**
   * Each node runs a registry; a request goes to one of them. Asked repeatedly from node A, every
   * answer must name the host, whichever registry gave it.
   */
  private static void awaitOnEveryRegistry(PortcullisNode node, String host) throws Exception {
    RegistryClient registry = new RegistryClient(node.vertx(), 5000);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    int inARow = 0;
    while (inARow < 6) {
      assertThat(System.nanoTime()).as("%s known to every registry", host).isLessThan(deadline);
      boolean known = registry.hosts().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS).stream()
          .anyMatch(h -> h.name().equals(host));
      inARow = known ? inARow + 1 : 0;
      Thread.sleep(known ? 20 : 100);
    }
  }
}
