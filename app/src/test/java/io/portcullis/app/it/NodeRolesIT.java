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

  /** A probe as Kubernetes makes it: HTTPS, no client certificate, the certificate not checked. */
  static String probe(int port, String path) throws Exception {
    Process p = new ProcessBuilder("curl", "-sk", "-w", " %{http_code}", "https://127.0.0.1:" + port + path).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).trim();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    int space = out.lastIndexOf(' ');
    return out.substring(space + 1) + " " + out.substring(0, Math.max(space, 0));
  }

  @Test
  void edgeOnlyNode_servesTenants_throughAnotherNodesAuthAndRegistry_and503sWhenItLeaves() throws Exception {
    Path state = Files.createTempDirectory("portcullis-roles");
    new io.portcullis.auth.Onboarding(state).init(List.of("localhost"), List.of("127.0.0.1"));
    // The edge node presents the cluster's server certificate (a Secret in k8s): the same files here.
    Path cert = io.portcullis.auth.Onboarding.serverCertificatePath(state);
    Path key = io.portcullis.auth.Onboarding.serverKeyPath(state);
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
    int adminPort = Gateway.freePort();
    JsonObject edge = new JsonObject()
        .put("node", new JsonObject().put("roles", new JsonArray().add("edge").add("admin")))
        .put("admin", new JsonObject().put("host", "127.0.0.1").put("port", adminPort))
        .put("edge", new JsonObject().put("tlsPort", -1).put("plaintextPort", edgePort).put("instances", 1).put("busTimeoutMs", 2000)
            .put("tlsCertPath", cert.toString()).put("tlsKeyPath", key.toString()))
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

      assertThat(probe(adminPort, "/readiness")).as("ready while the other node serves").startsWith("200 ");
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
      String notReady = probe(adminPort, "/readiness");
      assertThat(notReady).startsWith("503 ").contains("\"auth\":\"DOWN");
      assertThat(probe(adminPort, "/health")).as("alive all the same").startsWith("200 ");
    } finally {
      edgeNode.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      servicesNode.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }
}
