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
}
