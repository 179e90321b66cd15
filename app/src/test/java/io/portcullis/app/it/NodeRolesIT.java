package io.portcullis.app.it;

import static io.portcullis.app.it.Gateway.IMAGE;
import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.app.PortcullisNode;
import io.portcullis.app.it.DockerCli.Result;
import io.portcullis.contracts.BackendHost;
import io.portcullis.contracts.RegistryClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Two clustered nodes on loopback (Hazelcast TCP/IP member list), in this JVM: one runs auth and
 * registry only, the other only the tenants' edge. A tenant's docker CLI against the edge node works
 * through the other node's services; when that node leaves, the edge answers 503, never an allow.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class NodeRolesIT {

  @Test
  void edgeOnlyNode_servesTenants_throughAnotherNodesAuthAndRegistry_and503sWhenItLeaves() throws Exception {
    Path state = Files.createTempDirectory("portcullis-roles");
    new io.portcullis.auth.Onboarding(state).init(List.of("localhost"), List.of("127.0.0.1"));
    String cluster = "portcullis-roles-" + UUID.randomUUID().toString().substring(0, 8);
    int servicesPort = Gateway.freePort();
    int edgeClusterPort = Gateway.freePort();
    JsonArray members = new JsonArray().add("127.0.0.1:" + servicesPort).add("127.0.0.1:" + edgeClusterPort);
    String tenant = "roles-" + UUID.randomUUID().toString().substring(0, 6);
    JsonObject services = new JsonObject()
        .put("node", new JsonObject().put("roles", new JsonArray().add("auth").add("registry")))
        .put("auth", new JsonObject().put("stateDir", state.toString()).put("plaintextTenant", tenant))
        .put("registry", new JsonObject().put("healthIntervalMs", 500)
            .put("hosts", new JsonArray().add(new JsonObject().put("name", "local").put("uri", System.getenv("PORTCULLIS_IT_DOCKER_HOST")))))
        .put("cluster", new JsonObject().put("host", "127.0.0.1").put("port", servicesPort).put("name", cluster).put("members", members));
    int edgePort = Gateway.freePort();
    JsonObject edge = new JsonObject()
        .put("node", new JsonObject().put("roles", new JsonArray().add("edge")))
        .put("edge", new JsonObject().put("tlsPort", -1).put("plaintextPort", edgePort).put("instances", 1).put("busTimeoutMs", 2000))
        .put("auth", new JsonObject().put("stateDir", Files.createTempDirectory("portcullis-roles-edge").toString()))
        .put("cluster", new JsonObject().put("host", "127.0.0.1").put("port", edgeClusterPort).put("name", cluster).put("members", members));

    PortcullisNode servicesNode = PortcullisNode.start(services).toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
    PortcullisNode edgeNode = PortcullisNode.start(edge).toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
    DockerCli docker = new DockerCli("tcp://127.0.0.1:" + edgePort);
    try {
      assertThat(edgeNode.servesTenants()).isTrue();
      assertThat(servicesNode.servesTenants()).isFalse();
      assertThat(edgeNode.hosts()).as("the edge node registers no hosts of its own").isEmpty();
      // The registry is on the other node, reached over the clustered event bus.
      List<BackendHost> seen = new RegistryClient(edgeNode.vertx(), 5000).hosts().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      assertThat(seen).extracting(BackendHost::name).containsExactly("local");

      Result run = docker.run("run", "--rm", "--network", "none", IMAGE, "echo", "through-two-nodes");
      assertThat(run.ok().out()).isEqualTo("through-two-nodes\n");
      assertThat(docker.run("info", "--format", "{{.Name}}").ok().out().trim()).isEqualTo("portcullis");

      servicesNode.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      // The edge reuses an identity and a route for a second (edge.identityCacheMs, edge.routeCacheMs).
      Thread.sleep(1500);
      long started = System.nanoTime();
      Result alone = docker.run("ps");
      assertThat(alone.exitCode()).isNotZero();
      assertThat(alone.stderr()).containsAnyOf("auth service", "registry service");
      assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).as("a 503, not a hang").isLessThan(15_000);
    } finally {
      edgeNode.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      servicesNode.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }
}
