package io.portcullis.app.it;

import static io.portcullis.app.it.Gateway.IMAGE;
import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.app.it.DockerCli.Result;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Everyday docker CLI use through the gateway, against a real dockerd. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DockerCliIT {
  static final String LABEL = "portcullis-it=cli";
  static Gateway gateway;
  static DockerCli docker;

  @BeforeAll
  static void start() {
    gateway = Gateway.shared();
    docker = gateway.cli();
  }

  @AfterAll
  static void cleanUp() {
    gateway.removeContainersLabelled(LABEL);
  }

  @Test
  void version_reportsTheBackendsEngineThroughTheGateway() {
    Result viaGateway = docker.run("version", "--format", "{{.Server.Version}} {{.Server.APIVersion}}").ok();
    Result direct = gateway.direct().run("version", "--format", "{{.Server.Version}} {{.Server.APIVersion}}").ok();
    assertThat(viaGateway.out()).isEqualTo(direct.out()).isNotBlank();
  }

  @Test
  void info_andPs_work() {
    assertThat(docker.run("info", "--format", "{{.OSType}}").ok().out().trim()).isEqualTo("linux");
    String n = Gateway.uniqueName();
    docker.run("create", "--network", "none", "--label", LABEL, "--name", n, IMAGE, "true").ok();
    assertThat(docker.run("ps", "-a", "--format", "{{.Names}}").ok().out()).contains(n);
  }

  @Test
  void run_printsOutputAndKeepsStdoutAndStderrApart() {
    Result r = docker.run("run", "--rm", "--network", "none", "--label", LABEL, IMAGE,
        "sh", "-c", "echo to-out; echo to-err >&2");
    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).isEqualTo("to-out\n");
    assertThat(r.stderr()).contains("to-err").doesNotContain("to-out");
  }

  @Test
  void run_returnsTheContainersExitCode() {
    Result r = docker.run("run", "--rm", "--network", "none", "--label", LABEL, IMAGE, "sh", "-c", "echo bye; exit 42");
    assertThat(r.exitCode()).isEqualTo(42);
    assertThat(r.out()).isEqualTo("bye\n");
  }

  @Test
  void runWithTty_mergesOutputIntoOneStream() {
    Result r = docker.run("run", "--rm", "-t", "--network", "none", "--label", LABEL, IMAGE, "sh", "-c", "echo tty-out; echo tty-err >&2");
    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).contains("tty-out").contains("tty-err");
  }

  @Test
  void runInteractive_echoesPipedStdin() {
    Result r = docker.runWithInput("hello\n".getBytes(StandardCharsets.UTF_8),
        "run", "-i", "--rm", "--network", "none", "--label", LABEL, IMAGE, "cat");
    assertThat(r.exitCode()).as("%s", r).isZero();
    assertThat(r.out()).isEqualTo("hello\n");
  }

  @Test
  void runInteractive_carries10MiBOfStdinIntact() throws Exception {
    byte[] data = Payloads.random(10 * 1024 * 1024, 7);
    Result r = docker.run(data, null, Duration.ofSeconds(90), Map.of(),
        "run", "-i", "--rm", "--network", "none", "--label", LABEL, IMAGE, "sh", "-c", "cat | sha256sum");
    assertThat(r.exitCode()).as("%s", r).isZero();
    assertThat(r.out().split(" ")[0]).isEqualTo(Payloads.sha256(data));
  }

  @Test
  void createThenStartAttached_printsOutput() {
    String n = Gateway.uniqueName();
    docker.run("create", "--network", "none", "--label", LABEL, "--name", n, IMAGE, "echo", "started").ok();
    Result r = docker.run("start", "-a", n).ok();
    assertThat(r.out()).isEqualTo("started\n");
  }

  @Test
  void startAttachedInteractive_feedsPipedStdin() {
    String n = Gateway.uniqueName();
    docker.run("create", "-i", "--network", "none", "--label", LABEL, "--name", n, IMAGE, "sh", "-c", "read line; echo got:$line").ok();
    Result r = docker.runWithInput("abc\n".getBytes(StandardCharsets.UTF_8), "start", "-ai", n);
    assertThat(r.exitCode()).as("%s", r).isZero();
    assertThat(r.out()).isEqualTo("got:abc\n");
  }

  @Test
  void attach_toARunningContainer_seesItsOutputUntilExit() {
    String n = Gateway.uniqueName();
    docker.run("run", "-d", "--network", "none", "--label", LABEL, "--name", n, IMAGE,
        "sh", "-c", "sleep 1; for i in 1 2 3; do echo tick$i; sleep 0.2; done").ok();
    Result r = docker.run("attach", "--no-stdin", n);
    assertThat(r.exitCode()).as("%s", r).isZero();
    assertThat(r.out()).contains("tick1\ntick2\ntick3\n");
  }

  @Test
  void exec_variants_work() {
    String n = Gateway.uniqueName();
    docker.run("run", "-d", "--network", "none", "--label", LABEL, "--name", n, IMAGE, "sleep", "60").ok();
    assertThat(docker.run("exec", n, "echo", "plain").ok().out()).isEqualTo("plain\n");
    Result piped = docker.runWithInput("via-stdin\n".getBytes(StandardCharsets.UTF_8), "exec", "-i", n, "cat");
    assertThat(piped.exitCode()).as("%s", piped).isZero();
    assertThat(piped.out()).isEqualTo("via-stdin\n");
    Result empty = docker.runWithInput(new byte[0], "exec", "-i", n, "sh", "-c", "cat; echo after-eof");
    assertThat(empty.exitCode()).as("%s", empty).isZero();
    assertThat(empty.out()).isEqualTo("after-eof\n");
    assertThat(docker.run("exec", n, "sh", "-c", "exit 9").exitCode()).isEqualTo(9);
    docker.run("exec", "-d", n, "sh", "-c", "echo detached > /tmp/marker").ok();
    Result marker = null;
    for (int i = 0; i < 50; i++) {
      marker = docker.run("exec", n, "cat", "/tmp/marker");
      if (marker.exitCode() == 0) {
        break;
      }
      sleep(100);
    }
    assertThat(marker.out()).isEqualTo("detached\n");
    docker.run("rm", "-f", n).ok();
  }

  @Test
  void logs_andLogsFollow_streamUntilExit() throws Exception {
    String n = Gateway.uniqueName();
    docker.run("run", "-d", "--network", "none", "--label", LABEL, "--name", n, IMAGE,
        "sh", "-c", "echo first; sleep 1; echo second; sleep 1; echo third").ok();
    Process follow = docker.start("logs", "-f", n);
    BufferedReader reader = new BufferedReader(new InputStreamReader(follow.getInputStream(), StandardCharsets.UTF_8));
    assertThat(reader.readLine()).isEqualTo("first");
    assertThat(reader.readLine()).isEqualTo("second");
    assertThat(reader.readLine()).isEqualTo("third");
    assertThat(follow.waitFor(20, TimeUnit.SECONDS)).as("logs -f ends when the container exits").isTrue();
    assertThat(follow.exitValue()).isZero();
    assertThat(docker.run("logs", n).ok().out()).isEqualTo("first\nsecond\nthird\n");
  }

  @Test
  void wait_returnsExitCode_andKillAndRemoveWork() {
    String n = Gateway.uniqueName();
    docker.run("run", "-d", "--network", "none", "--label", LABEL, "--name", n, IMAGE, "sh", "-c", "sleep 0.5; exit 5").ok();
    assertThat(docker.run("wait", n).ok().out().trim()).isEqualTo("5");
    String k = Gateway.uniqueName();
    docker.run("run", "-d", "--network", "none", "--label", LABEL, "--name", k, IMAGE, "sleep", "60").ok();
    docker.run("kill", k).ok();
    assertThat(docker.run("inspect", "--format", "{{.State.Running}}", k).ok().out().trim()).isEqualTo("false");
    docker.run("rm", n, k).ok();
    assertThat(docker.run("inspect", k).exitCode()).isNotZero();
  }

  @Test
  void events_inATimeWindow_showTheContainersLife() {
    String since = String.valueOf(Instant.now().getEpochSecond() - 1);
    String n = Gateway.uniqueName();
    docker.run("run", "--rm", "--network", "none", "--label", LABEL, "--name", n, IMAGE, "true").ok();
    String until = String.valueOf(Instant.now().getEpochSecond() + 1);
    Result r = docker.run("events", "--since", since, "--until", until, "--filter", "container=" + n, "--format", "{{.Action}}").ok();
    assertThat(r.out()).contains("create").contains("start").contains("die");
  }

  @Test
  void eventsFollow_deliversEachEventAsItHappens() throws Exception {
    String n = Gateway.uniqueName();
    Process events = docker.start("events", "--filter", "container=" + n, "--format", "{{.Action}}");
    try {
      BufferedReader reader = new BufferedReader(new InputStreamReader(events.getInputStream(), StandardCharsets.UTF_8));
      sleep(500);
      docker.run("create", "--network", "none", "--label", LABEL, "--name", n, IMAGE, "true").ok();
      // The stream is still open and following: each event arrives as it happens.
      assertThat(reader.readLine()).isEqualTo("create");
      docker.run("start", n).ok();
      List<String> seen = new ArrayList<>();
      for (int i = 0; i < 10 && !seen.contains("die"); i++) {
        seen.add(reader.readLine());
      }
      assertThat(seen).contains("start", "die");
      assertThat(events.isAlive()).as("events -f keeps following").isTrue();
    } finally {
      events.destroy();
    }
  }

  @Test
  void statsNoStream_andTop_answer() {
    String n = Gateway.uniqueName();
    docker.run("run", "-d", "--network", "none", "--label", LABEL, "--name", n, IMAGE, "sleep", "60").ok();
    assertThat(docker.run("stats", "--no-stream", "--format", "{{.Name}}", n).ok().out().trim()).isEqualTo(n);
    assertThat(docker.run("top", n).ok().out()).contains("sleep 60");
    docker.run("rm", "-f", n).ok();
  }

  @Test
  void tenParallelRuns_allSucceedWithTheirOwnOutput() throws Exception {
    var pool = Executors.newFixedThreadPool(10);
    try {
      List<CompletableFuture<Result>> runs = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        String marker = "parallel-" + i;
        runs.add(CompletableFuture.supplyAsync(() -> docker.run("run", "--rm", "--network", "none", "--label", LABEL, IMAGE, "echo", marker), pool));
      }
      for (int i = 0; i < 10; i++) {
        Result r = runs.get(i).get(90, TimeUnit.SECONDS);
        assertThat(r.exitCode()).as("%s", r).isZero();
        assertThat(r.out()).isEqualTo("parallel-" + i + "\n");
      }
    } finally {
      pool.shutdownNow();
    }
  }

  static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
