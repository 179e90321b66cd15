package io.portcullis.app.it;

import static io.portcullis.app.it.Gateway.IMAGE;
import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.app.PortcullisNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * The node's limits with small figures, against the real daemon and the real docker CLI: a tenant's
 * request rate (429 that the CLI prints), its hijacked sessions (a third {@code run -i} refused while
 * two are open, admitted once one ends), the node's connections (503), a request head that never
 * completes (408 and closed), an idle connection closed — while a {@code logs -f} that is quiet for
 * longer than every one of those timeouts goes on.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LimitsIT {
  static final String TENANT = "limits-" + UUID.randomUUID().toString().substring(0, 6);
  static PortcullisNode node;
  static int port;
  static DockerCli docker;

  @BeforeAll
  static void start() throws Exception {
    port = Gateway.freePort();
    java.nio.file.Path state = Files.createTempDirectory("portcullis-limits");
    new io.portcullis.auth.Onboarding(state).init(List.of("localhost"), List.of("127.0.0.1"));
    JsonObject config = new JsonObject()
        .put("edge", new JsonObject().put("plaintextHost", "127.0.0.1").put("plaintextPort", port).put("tlsPort", -1).put("instances", 2))
        .put("auth", new JsonObject().put("plaintextTenant", TENANT).put("stateDir", state.toString()))
        .put("limits", new JsonObject()
            .put("maxConnections", 12)
            .put("maxSessionsPerTenant", 2)
            .put("requestsPerSecondPerTenant", 5)
            .put("requestBurstPerTenant", 60)
            .put("requestHeadTimeoutMs", 1000)
            .put("idleTimeoutMs", 1000))
        .put("registry", new JsonObject().put("hosts", new JsonArray().add(new JsonObject().put("name", "local")
            .put("uri", System.getenv("PORTCULLIS_IT_DOCKER_HOST")))))
        .put("cluster", new JsonObject().put("host", "127.0.0.1").put("port", Gateway.freePort()).put("name", "portcullis-limits-" + port));
    node = PortcullisNode.start(config).toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
    docker = new DockerCli("tcp://127.0.0.1:" + port);
  }

  @AfterAll
  static void stop() throws Exception {
    if (node != null) {
      for (String id : docker.run("ps", "-aq").out().split("\\s+")) {
        if (!id.isBlank()) {
          docker.run("rm", "-f", id);
        }
      }
      node.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  private static Socket connect() throws Exception {
    Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
    s.setSoTimeout(10_000);
    return s;
  }

  private static String readAll(InputStream in) throws Exception {
    return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
  }

  /** Last: it empties the tenant's bucket (the other tests together take less than the burst of 60). */
  @Test
  @Order(Integer.MAX_VALUE)
  void aTenantAboveItsRate_gets429_thatTheCliPrints() throws Exception {
    // Pings on one keep-alive connection until the bucket is empty (60 at once, then 5 a second).
    int refused = 0;
    String lastRefusal = null;
    try (Socket s = connect()) {
      var in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
      for (int i = 0; i < 100; i++) {
        s.getOutputStream().write("GET /_ping HTTP/1.1\r\nHost: gw\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        String status = in.readLine();
        int length = 0;
        for (String h = in.readLine(); !h.isEmpty(); h = in.readLine()) {
          if (h.toLowerCase().startsWith("content-length:")) {
            length = Integer.parseInt(h.substring(15).trim());
          }
        }
        char[] body = new char[length];
        int read = 0;
        while (read < length) {
          read += in.read(body, read, length - read);
        }
        if (status.contains(" 429 ")) {
          refused++;
          lastRefusal = new String(body);
          // A refusal closes the connection.
          break;
        }
      }
    }
    assertThat(refused).as("a request beyond the burst refused").isEqualTo(1);
    assertThat(new JsonObject(lastRefusal).getString("message")).contains("too many requests", "5 per second");
    // The CLI prints it while the bucket is empty (a token or so refills while it starts), and works
    // again once the bucket refilled.
    DockerCli.Result refusedCli = docker.run("version", "--format", "{{.Server.Version}}");
    assertThat(refusedCli.exitCode()).isNotZero();
    assertThat(refusedCli.stderr()).contains("too many requests");
    Thread.sleep(2500);
    assertThat(docker.run("version", "--format", "{{.Server.Version}}").exitCode()).isZero();
  }

  @Test
  void aThirdSessionOfATenant_isRefusedWhileTwoAreOpen_andAdmittedWhenOneEnds() throws Exception {
    Process first = docker.start("run", "--rm", "-i", "--network", "none", IMAGE, "cat");
    Process second = docker.start("run", "--rm", "-i", "--network", "none", IMAGE, "cat");
    try {
      for (Process p : List.of(first, second)) {
        p.getOutputStream().write("open\n".getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().flush();
        assertThat(new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)).readLine()).isEqualTo("open");
      }
      DockerCli.Result third = docker.runWithInput("x\n".getBytes(StandardCharsets.UTF_8), "run", "--rm", "-i", "--network", "none", IMAGE, "cat");
      assertThat(third.exitCode()).isNotZero();
      // The CLI reads no body from a refused upgrade: it prints the status only (the body says
      // "too many attach/exec sessions ... may have 2" to clients that read it).
      assertThat(third.stderr()).contains("received 429");
      first.getOutputStream().close();
      assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
      DockerCli.Result again;
      do {
        again = docker.runWithInput("after\n".getBytes(StandardCharsets.UTF_8), "run", "--rm", "-i", "--network", "none", IMAGE, "cat");
        assertThat(System.nanoTime()).as("a slot is free again: %s", again.stderr()).isLessThan(deadline);
      } while (again.exitCode() != 0);
      assertThat(again.out()).isEqualTo("after\n");
    } finally {
      first.destroyForcibly();
      second.destroyForcibly();
    }
  }

  @Test
  void aHeadThatNeverCompletes_gets408_andAnIdleConnectionIsClosed() throws Exception {
    try (Socket slow = connect()) {
      long start = System.nanoTime();
      slow.getOutputStream().write("GET /_ping HTTP/1.1\r\nHo".getBytes(StandardCharsets.US_ASCII));
      String answer = readAll(slow.getInputStream());
      assertThat(answer).startsWith("HTTP/1.1 408").contains("request head not complete within 1000 ms");
      assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isBetween(900L, 5000L);
    }
    try (Socket idle = connect()) {
      long start = System.nanoTime();
      assertThat(idle.getInputStream().read()).as("closed without a word").isEqualTo(-1);
      assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isBetween(900L, 5000L);
    }
  }

  @Test
  void theNodesConnectionLimit_answers503_toConnectionsBeyondIt() throws Exception {
    List<Socket> held = new ArrayList<>();
    try {
      // Held connections count until closed; the limit is 12 on this node.
      for (int i = 0; i < 12; i++) {
        held.add(connect());
      }
      Thread.sleep(200);
      try (Socket beyond = connect()) {
        beyond.getOutputStream().write("GET /_ping HTTP/1.1\r\nHost: gw\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        String answer = readAll(beyond.getInputStream());
        assertThat(answer).startsWith("HTTP/1.1 503").contains("maximum of 12 connections");
      }
    } finally {
      for (Socket s : held) {
        s.close();
      }
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (docker.run("version").exitCode() != 0) {
      assertThat(System.nanoTime()).as("served again once the held connections closed").isLessThan(deadline);
      Thread.sleep(200);
    }
  }

  @Test
  void aQuietLogsFollow_outlivesEveryTimeout() throws Exception {
    String name = "quiet-" + UUID.randomUUID().toString().substring(0, 6);
    docker.run("run", "-d", "--name", name, "--network", "none", IMAGE, "sh", "-c", "echo first; sleep 4; echo second; sleep 300").ok();
    Process follow = docker.start("logs", "-f", name);
    try {
      BufferedReader lines = new BufferedReader(new InputStreamReader(follow.getInputStream(), StandardCharsets.UTF_8));
      assertThat(lines.readLine()).isEqualTo("first");
      // Four quiet seconds: four times the head and idle timeouts.
      assertThat(lines.readLine()).isEqualTo("second");
      assertThat(follow.isAlive()).isTrue();
    } finally {
      follow.destroyForcibly();
      docker.run("rm", "-f", name);
    }
  }
}
