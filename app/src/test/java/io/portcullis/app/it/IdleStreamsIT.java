package io.portcullis.app.it;

import static io.portcullis.app.it.Gateway.IMAGE;
import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.app.PortcullisNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Long streams are never cut for being idle: a node whose every edge timeout is about a second (the
 * response-head deadline, the bus, TLS handshakes, caches, TCP keepalive probing after one idle second)
 * holds {@code run -i} (attach), {@code exec -i}, {@code logs -f}, {@code events} and {@code wait} idle
 * for five seconds, and each then still carries data and ends normally.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class IdleStreamsIT {
  static final Duration IDLE = Duration.ofSeconds(5);
  static final Duration PROMPTLY = Duration.ofSeconds(20);
  static final String TENANT = "idle-" + UUID.randomUUID().toString().substring(0, 8);

  static PortcullisNode node;
  static DockerCli docker;

  @BeforeAll
  static void start() throws Exception {
    Path state = Files.createTempDirectory("portcullis-idle");
    new io.portcullis.auth.Onboarding(state).init(List.of("localhost"), List.of("127.0.0.1"));
    int port = Gateway.freePort();
    JsonObject config = new JsonObject()
        .put("edge", new JsonObject().put("tlsPort", -1).put("plaintextHost", "127.0.0.1").put("plaintextPort", port).put("instances", 1)
            .put("backendResponseTimeoutMs", 1000).put("busTimeoutMs", 1000).put("tlsHandshakeTimeoutMs", 1000)
            .put("backendConnectTimeoutMs", 1000).put("identityCacheMs", 1000).put("routeCacheMs", 1000)
            .put("tcpKeepAliveIdleSeconds", 1).put("tcpKeepAliveIntervalSeconds", 1).put("tcpKeepAliveCount", 1))
        .put("auth", new JsonObject().put("plaintextTenant", TENANT).put("stateDir", state.toString()))
        .put("registry", new JsonObject().put("hosts", new JsonArray().add(new JsonObject().put("name", "local")
            .put("uri", System.getenv("PORTCULLIS_IT_DOCKER_HOST")))).put("healthIntervalMs", 1000))
        .put("cluster", new JsonObject().put("host", "127.0.0.1").put("port", Gateway.freePort()).put("name", "portcullis-idle-" + port));
    node = PortcullisNode.start(config).toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
    docker = new DockerCli("tcp://127.0.0.1:" + port);
  }

  @AfterAll
  static void stop() throws Exception {
    if (node != null) {
      node.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
    DockerCli direct = new DockerCli(System.getenv("PORTCULLIS_IT_DOCKER_HOST"));
    for (String id : direct.run("ps", "-aq", "--filter", "label=io.portcullis.tenant=" + TENANT).out().split("\\s+")) {
      if (!id.isBlank()) {
        direct.run("rm", "-f", id);
      }
    }
  }

  @Test
  void attachExecLogsEventsAndWait_heldIdlePastEveryTimeout_stillDeliverAndEndNormally() throws Exception {
    String waiter = "idle-" + UUID.randomUUID().toString().substring(0, 6);
    // Says it started, then waits for /tmp/go, says it is late and exits 3.
    docker.run("run", "-d", "--name", waiter, "--network", "none", IMAGE, "sh", "-c",
        "echo started; while [ ! -f /tmp/go ]; do sleep 0.2; done; echo late; exit 3").ok();
    try (CliProcess attach = CliProcess.start("run -i", docker, "run", "-i", "--rm", "--network", "none", IMAGE, "cat");
         CliProcess exec = CliProcess.start("exec -i", docker, "exec", "-i", waiter, "cat");
         CliProcess logs = CliProcess.start("logs -f", docker, "logs", "-f", waiter);
         CliProcess events = CliProcess.start("events", docker, "events", "--filter", "container=" + waiter,
             "--filter", "event=die", "--format", "{{.Action}} {{.Actor.Attributes.exitCode}}");
         CliProcess wait = CliProcess.start("wait", docker, "wait", waiter)) {
      attach.writeLine("before");
      assertThat(attach.nextLine(PROMPTLY)).isEqualTo("before");
      exec.writeLine("before");
      assertThat(exec.nextLine(PROMPTLY)).isEqualTo("before");
      assertThat(logs.nextLine(PROMPTLY)).isEqualTo("started");

      // Idle on purpose: no byte moves on any of the five for five times the timeouts.
      Thread.sleep(IDLE.toMillis());
      for (CliProcess p : List.of(attach, exec, logs, events, wait)) {
        assertThat(p.isAlive()).as("%s still open after %s idle; stderr: %s", p.name, IDLE, p.stderrIfEnded()).isTrue();
      }

      attach.writeLine("after");
      assertThat(attach.nextLine(PROMPTLY)).isEqualTo("after");
      attach.closeStdin();
      assertThat(attach.exitWithin(PROMPTLY)).as("run -i ends with cat's exit code").isZero();
      exec.writeLine("after");
      assertThat(exec.nextLine(PROMPTLY)).isEqualTo("after");
      exec.closeStdin();
      assertThat(exec.exitWithin(PROMPTLY)).isZero();

      docker.run("exec", waiter, "touch", "/tmp/go").ok();
      assertThat(logs.nextLine(PROMPTLY)).isEqualTo("late");
      assertThat(logs.exitWithin(PROMPTLY)).as("logs -f ends when the container does").isZero();
      assertThat(wait.nextLine(PROMPTLY)).isEqualTo("3");
      assertThat(wait.exitWithin(PROMPTLY)).isZero();
      assertThat(events.nextLine(PROMPTLY)).isEqualTo("die 3");
      assertThat(events.isAlive()).as("events goes on until the client ends it").isTrue();
    } finally {
      docker.run("rm", "-f", waiter);
    }
  }
}
