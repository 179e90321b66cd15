package io.portcullis.app.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/** What the cluster tests share: a node's provisioned state directory, a burst of parallel creates. */
final class ClusterFixtures {
  private ClusterFixtures() {}

  /** A new state directory with only the cluster's CA and server certificate, as provisioned on a new node. */
  static Path provisionedFrom(Path state) throws Exception {
    Path dir = Files.createTempDirectory("portcullis-provisioned");
    for (String sub : List.of("ca", "server")) {
      Files.createDirectories(dir.resolve(sub));
      try (var files = Files.list(state.resolve(sub))) {
        for (Path f : files.toList()) {
          Files.copy(f, dir.resolve(sub).resolve(f.getFileName()));
        }
      }
    }
    return dir;
  }

  /** A node and the tenants' port it listens on. */
  record NodeOnPort(io.portcullis.app.PortcullisNode node, int port) {}

  /**
   * Starts a node whose tenants' port is probed free just before; if something took the port in
   * between (an outgoing connection's ephemeral port), once more on another.
   */
  static NodeOnPort startOnFreePort(java.util.function.IntFunction<io.vertx.core.json.JsonObject> config) throws Exception {
    for (int attempt = 1; ; attempt++) {
      int port = Gateway.freePort();
      try {
        return new NodeOnPort(io.portcullis.app.PortcullisNode.start(config.apply(port))
            .toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS), port);
      } catch (java.util.concurrent.ExecutionException e) {
        if (attempt == 3 || e.getCause() == null || String.valueOf(e.getCause().getMessage()).indexOf("Address already in use") < 0) {
          throw e;
        }
      }
    }
  }

  /**
   * {@code attempts} container creates at once, spread round-robin over {@code via}; returns how many
   * passed. Every refusal must be the quota's.
   */
  static int createsThatPass(List<DockerCli> via, int attempts) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(attempts);
    try {
      List<Future<DockerCli.Result>> creates = new ArrayList<>();
      for (int i = 0; i < attempts; i++) {
        DockerCli node = via.get(i % via.size());
        creates.add(pool.submit(() -> node.run("create", "--network", "none", Gateway.IMAGE, "true")));
      }
      int created = 0;
      for (Future<DockerCli.Result> f : creates) {
        DockerCli.Result r = f.get(120, TimeUnit.SECONDS);
        if (r.exitCode() == 0) {
          created++;
        } else {
          assertThat(r.stderr()).contains("container quota reached");
        }
      }
      return created;
    } finally {
      pool.shutdownNow();
    }
  }

  /** A node process of the packaged jar, with the ports it listens on and its log. */
  record JarNode(Process process, int tlsPort, int adminPort, Path log) {}

  /**
   * One node process per state directory, one cluster on loopback, each serving the suite's dockerd
   * over TLS (and its admin API when {@code admin}).
   */
  static List<JarNode> startJarNodes(List<Path> states, String cluster, boolean admin) throws Exception {
    int[] clusterPorts = new int[states.size()];
    StringBuilder members = new StringBuilder();
    for (int i = 0; i < states.size(); i++) {
      clusterPorts[i] = Gateway.freePort();
      members.append(i == 0 ? "" : ",").append("127.0.0.1:").append(clusterPorts[i]);
    }
    List<JarNode> nodes = new ArrayList<>();
    for (int i = 0; i < states.size(); i++) {
      int tls = Gateway.freePort();
      int adminPort = admin ? Gateway.freePort() : -1;
      Path log = states.get(i).resolve("node.log");
      ProcessBuilder pb = new ProcessBuilder("java", "-jar", System.getenv("PORTCULLIS_JAR"), "--state", states.get(i).toString())
          .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
      pb.environment().putAll(java.util.Map.of(
          "PORTCULLIS_BACKENDS", "local=" + System.getenv("PORTCULLIS_IT_DOCKER_HOST"),
          "PORTCULLIS_TLS_PORT", String.valueOf(tls),
          "PORTCULLIS_ADMIN_PORT", String.valueOf(adminPort),
          "PORTCULLIS_EDGE_INSTANCES", "1",
          "PORTCULLIS_CLUSTER_PORT", String.valueOf(clusterPorts[i]),
          "PORTCULLIS_CLUSTER_MEMBERS", members.toString(),
          "PORTCULLIS_CLUSTER_NAME", cluster));
      nodes.add(new JarNode(pb.start(), tls, adminPort, log));
    }
    return nodes;
  }

  /** Waits (90 s at most) until every node answers {@code docker version} through its client. */
  static void awaitServing(List<JarNode> nodes, List<DockerCli> via) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    for (int i = 0; i < nodes.size(); i++) {
      while (via.get(i).run("version").exitCode() != 0) {
        assertThat(nodes.get(i).process().isAlive()).as("node %d alive; log %s", i, nodes.get(i).log()).isTrue();
        assertThat(System.nanoTime()).as("node %d up; log %s", i, nodes.get(i).log()).isLessThan(deadline);
        Thread.sleep(300);
      }
    }
  }

  /** SIGTERM to every node, then SIGKILL to any still running after 60 s. */
  static void stopAll(List<JarNode> nodes) throws Exception {
    for (JarNode node : nodes) {
      node.process().destroy();
    }
    for (JarNode node : nodes) {
      if (!node.process().waitFor(60, TimeUnit.SECONDS)) {
        node.process().destroyForcibly();
      }
    }
  }
}
