package io.portcullis.app.it;

import static io.portcullis.app.it.Gateway.IMAGE;
import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.app.PortcullisNode;
import io.portcullis.contracts.BackendHost;
import io.portcullis.contracts.RegistryClient;
import io.portcullis.contracts.metrics.NodeMetrics;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A backend daemon killed with SIGKILL under four live calls at once: {@code run -i} (attach), {@code
 * logs -f}, a 64 MiB {@code cp} into a container cut mid-upload, and a legacy {@code build} in a slow RUN step. Each
 * client ends within ten seconds, the gateway frees both sockets of each (live sessions and
 * connections back to where they were, and no file descriptor more than before), and a session on the
 * other host (the suite's daemon) goes on as if nothing happened.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class BackendKilledIT {
  static final Duration PROMPTLY = Duration.ofSeconds(10);
  static final String TENANT = "killed-" + UUID.randomUUID().toString().substring(0, 8);

  static Path victimDir;
  static Path state;
  static String victimUri;
  static PortcullisNode node;
  static DockerCli docker;

  @BeforeAll
  static void start() throws Exception {
    victimDir = Files.createTempDirectory("portcullis-killed").resolve("h2");
    victimUri = MultiHostIT.startDaemon(victimDir);
    state = Files.createTempDirectory("portcullis-killed-state");
    new io.portcullis.auth.Onboarding(state).init(List.of("localhost"), List.of("127.0.0.1"));
    int port = Gateway.freePort();
    JsonObject config = new JsonObject()
        .put("edge", new JsonObject().put("tlsPort", -1).put("plaintextHost", "127.0.0.1").put("plaintextPort", port).put("instances", 1)
            .put("routeCacheMs", 200))
        .put("auth", new JsonObject().put("plaintextTenant", TENANT).put("stateDir", state.toString()))
        .put("registry", new JsonObject().put("hosts", new JsonArray()
                .add(new JsonObject().put("name", "h1").put("uri", System.getenv("PORTCULLIS_IT_DOCKER_HOST")))
                .add(new JsonObject().put("name", "h2").put("uri", victimUri)))
            .put("healthIntervalMs", 300).put("healthTimeoutMs", 300).put("healthFailuresBeforeDown", 2))
        .put("cluster", new JsonObject().put("host", "127.0.0.1").put("port", Gateway.freePort()).put("name", "portcullis-killed-" + port));
    node = PortcullisNode.start(config).toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
    RegistryClient registry = new RegistryClient(node.vertx(), 5000);
    poll("both hosts up", Duration.ofSeconds(30), () -> registry.hosts().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS)
        .stream().filter(h -> h.state() == BackendHost.HostState.UP).count() == 2);
    docker = new DockerCli("tcp://127.0.0.1:" + port);
  }

  @AfterAll
  static void stop() throws Exception {
    if (node != null) {
      node.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
    DockerCli h1 = new DockerCli(System.getenv("PORTCULLIS_IT_DOCKER_HOST"));
    for (String id : h1.run("ps", "-aq", "--filter", "label=io.portcullis.tenant=" + TENANT).out().split("\\s+")) {
      if (!id.isBlank()) {
        h1.run("rm", "-f", id);
      }
    }
    if (victimDir != null) {
      removeKilledDaemonsLeftovers(victimDir);
    }
    if (state != null) {
      new ProcessBuilder("rm", "-rf", state.toString()).inheritIO().start().waitFor(60, TimeUnit.SECONDS);
    }
  }

  /**
   * A dockerd killed with SIGKILL leaves its containers running under their shims, its containerd and
   * its mounts: each is found by the directory it belongs to and removed (processes by their pid).
   */
  static void removeKilledDaemonsLeftovers(Path dir) throws Exception {
    String root = dir.toAbsolutePath().toString();
    ProcessHandle.allProcesses()
        .filter(p -> {
          try {
            return Files.readSymbolicLink(Path.of("/proc", String.valueOf(p.pid()), "cwd")).toString().startsWith(root);
          } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return false;
          }
        })
        .forEach(shim -> {
          shim.descendants().forEach(ProcessHandle::destroyForcibly);
          shim.destroyForcibly();
        });
    MultiHostIT.stopContainerd(dir);
    List<String> mounts = Files.readAllLines(Path.of("/proc/mounts")).stream().map(l -> l.split(" ")[1])
        .filter(m -> m.startsWith(root)).sorted(java.util.Comparator.reverseOrder()).toList();
    for (String mount : mounts) {
      new ProcessBuilder("umount", "-l", mount).inheritIO().start().waitFor(10, TimeUnit.SECONDS);
    }
    new ProcessBuilder("rm", "-rf", dir.getParent().toString()).inheritIO().start().waitFor(60, TimeUnit.SECONDS);
  }

  interface Check {
    boolean holds() throws Exception;
  }

  static void poll(String what, Duration within, Check check) throws Exception {
    long deadline = System.nanoTime() + within.toNanos();
    while (!check.holds()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(what + ": not within " + within + " (now sessions " + gauge("portcullis.sessions.active")
            + ", connections " + gauge("portcullis.connections.active") + ", fds " + openFileDescriptors() + ")");
      }
      Thread.sleep(100);
    }
  }

  static long gauge(String name) {
    return (long) NodeMetrics.registry().find(name).gauge().value();
  }

  static long openFileDescriptors() throws IOException {
    try (var fds = Files.list(Path.of("/proc/self/fd"))) {
      return fds.count();
    }
  }

  static String name() {
    return "k" + UUID.randomUUID().toString().substring(0, 6);
  }

  @Test
  void daemonKilledUnderAttachLogsCpAndBuild_everyClientEndsPromptly_socketsAreFreed_andTheOtherHostsSessionGoesOn() throws Exception {
    RegistryClient registry = new RegistryClient(node.vertx(), 5000);
    try (CliProcess survivor = CliProcess.start("run -i on h1", docker, "run", "-i", "--rm", "--network", "none",
        "-e", "constraint:node.hostname==h1", IMAGE, "cat")) {
      survivor.writeLine("before");
      assertThat(survivor.nextLine(PROMPTLY)).isEqualTo("before");

      // The containers the victims use, on h2.
      String ticking = name();
      docker.run("run", "-d", "--name", ticking, "--network", "none", "-e", "constraint:node.hostname==h2", IMAGE,
          "sh", "-c", "while true; do echo tick; sleep 0.5; done").ok();
      String holder = name();
      docker.run("run", "-d", "--name", holder, "--network", "none", "-e", "constraint:node.hostname==h2", IMAGE, "sleep", "600").ok();

      long sessionsBefore = gauge("portcullis.sessions.active");
      long connectionsBefore = gauge("portcullis.connections.active");
      long fdsBefore = openFileDescriptors();

      CliProcess attach = CliProcess.start("run -i on h2", docker, "run", "-i", "--rm", "--network", "none",
          "-e", "constraint:node.hostname==h2", IMAGE, "cat");
      CliProcess logs = CliProcess.start("logs -f", docker, "logs", "-f", ticking);
      // A 64 MiB upload of which the test sends 1 MiB and then nothing: the daemon is reading it when it dies.
      Process cp = docker.start("cp", "-", holder + ":/tmp");
      cp.getOutputStream().write(TarHeader.ofFile("big", 64L << 20));
      cp.getOutputStream().write(new byte[1 << 20]);
      cp.getOutputStream().flush();
      // The build goes where placement puts it: h1 is drained meanwhile so that it is h2.
      registry.drain("h1", true).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      CliProcess build;
      try {
        build = CliProcess.start("build", new DockerCli(docker.host(), Map.of("DOCKER_BUILDKIT", "0")),
            "build", "--network", "none", "-t", "killed-build:1", "-");
        build.writeLine("FROM " + IMAGE);
        build.writeLine("RUN echo building && sleep 120");
        build.closeStdin();
        attach.writeLine("ping");
        assertThat(attach.nextLine(PROMPTLY)).isEqualTo("ping");
        assertThat(logs.nextLine(PROMPTLY)).isEqualTo("tick");
        poll("the build in its slow RUN step", Duration.ofSeconds(60), () -> build.nextLine(Duration.ofSeconds(60)).contains("building"));
      } finally {
        registry.drain("h1", false).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      }
      assertThat(gauge("portcullis.sessions.active")).as("the attach (and the build's, if hijacked) sessions are live").isGreaterThan(sessionsBefore);
      assertThat(gauge("portcullis.connections.active")).as("the victims' connections are open").isGreaterThanOrEqualTo(connectionsBefore + 4);

      long killedAt = System.nanoTime();
      new ProcessBuilder("kill", "-KILL", Files.readString(victimDir.resolve("dockerd.pid")).trim()).start().waitFor(10, TimeUnit.SECONDS);
      CompletableFuture<Long> cpErrors = CompletableFuture.supplyAsync(() -> drain(cp.getErrorStream()));

      assertThat(attach.exitWithin(PROMPTLY)).as("run -i ended by the cut").isNotNull();
      assertThat(logs.exitWithin(PROMPTLY)).as("logs -f ended").isNotNull();
      assertThat(build.exitWithin(PROMPTLY)).as("a cut build is not a success: %s", build.stderrIfEnded()).isNotZero();
      assertThat(cp.waitFor(PROMPTLY.toMillis(), TimeUnit.MILLISECONDS)).as("cp ended").isTrue();
      assertThat(cp.exitValue()).as("a cut copy is not a success").isNotZero();
      assertThat(cpErrors.get(5, TimeUnit.SECONDS)).as("cp said why").isPositive();
      assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt)).as("all four ended").isLessThan(PROMPTLY.toMillis());

      // At most as many as before: connections of the CLI runs just before may still have been closing then.
      poll("sessions and connections back to where they were (" + sessionsBefore + ", " + connectionsBefore + ")", PROMPTLY, () ->
          gauge("portcullis.sessions.active") <= sessionsBefore && gauge("portcullis.connections.active") <= connectionsBefore);
      for (CliProcess p : List.of(attach, logs, build)) {
        p.close();
      }
      cp.getOutputStream().close();
      cp.getInputStream().close();
      // The victims' pipes are closed, and the gateway holds no socket of theirs (nor any to h2).
      poll("no more file descriptors than before the victims started (" + fdsBefore + ")", PROMPTLY,
          () -> openFileDescriptors() <= fdsBefore);

      survivor.writeLine("still here");
      assertThat(survivor.nextLine(PROMPTLY)).isEqualTo("still here");
      survivor.closeStdin();
      assertThat(survivor.exitWithin(PROMPTLY)).as("the other host's session ends normally").isZero();
    }
  }

  static long drain(InputStream in) {
    long total = 0;
    byte[] buf = new byte[65536];
    try (in) {
      int n;
      while ((n = in.read(buf)) >= 0) {
        total += n;
      }
    } catch (IOException e) {
      // an end all the same
    }
    return total;
  }
}
