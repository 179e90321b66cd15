package io.portcullis.app.it;

import static io.portcullis.app.it.Gateway.IMAGE;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The packaged jar as an operator runs it, stopped with SIGTERM while a tenant follows a container's
 * logs: new connections are refused at once, the stream runs to its end, and the process exits 0.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class GracefulShutdownIT {

  @Test
  void sigterm_refusesNewConnections_letsALogsStreamFinish_andExitsZero() throws Exception {
    Path state = Files.createTempDirectory("portcullis-sigterm");
    int port = Gateway.freePort();
    int admin = Gateway.freePort();
    String tenant = "sigterm-" + UUID.randomUUID().toString().substring(0, 6);
    ProcessBuilder pb = new ProcessBuilder("java", "-jar", System.getenv("PORTCULLIS_JAR"), "--state", state.toString())
        .redirectErrorStream(true).redirectOutput(state.resolve("gateway.log").toFile());
    pb.environment().putAll(Map.of(
        "PORTCULLIS_BACKENDS", "local=" + System.getenv("PORTCULLIS_IT_DOCKER_HOST"),
        "PORTCULLIS_TLS_PORT", "-1",
        "PORTCULLIS_PLAINTEXT_PORT", String.valueOf(port),
        "PORTCULLIS_PLAINTEXT_TENANT", tenant,
        "PORTCULLIS_ADMIN_PORT", String.valueOf(admin),
        "PORTCULLIS_CLUSTER_PORT", String.valueOf(Gateway.freePort()),
        "PORTCULLIS_CLUSTER_NAME", "sigterm-" + port));
    Process gateway = pb.start();
    DockerCli docker = new DockerCli("tcp://127.0.0.1:" + port);
    Process follower = null;
    try {
      // Up: its listeners answer, and it has said so (start-up is over).
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (docker.run("version").exitCode() != 0 || !Files.readString(state.resolve("gateway.log")).contains("portcullis: listening")) {
        assertThat(System.nanoTime()).as("gateway up; log: %s", state.resolve("gateway.log")).isLessThan(deadline);
        Thread.sleep(200);
      }
      String name = "talker-" + UUID.randomUUID().toString().substring(0, 6);
      docker.run("run", "-d", "--name", name, "--network", "none", IMAGE, "sh", "-c",
          "for i in $(seq 1 25); do echo line $i; sleep 0.2; done").ok();
      follower = docker.start("logs", "-f", name);
      BufferedReader out = new BufferedReader(new InputStreamReader(follower.getInputStream(), StandardCharsets.UTF_8));
      List<String> lines = new ArrayList<>();
      lines.add(out.readLine());
      assertThat(lines.get(0)).startsWith("line ");

      new ProcessBuilder("kill", "-TERM", String.valueOf(gateway.pid())).start().waitFor(10, TimeUnit.SECONDS);
      Thread.sleep(500);
      DockerCli.Result refused = docker.run("version");
      assertThat(refused.exitCode()).as("a new connection after SIGTERM").isNotZero();
      assertThat(gateway.isAlive()).as("still serving the open stream").isTrue();

      for (String line = out.readLine(); line != null; line = out.readLine()) {
        lines.add(line);
      }
      assertThat(follower.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(follower.exitValue()).isZero();
      assertThat(lines).as("the stream ran to its end").endsWith("line 25");
      assertThat(gateway.waitFor(60, TimeUnit.SECONDS)).as("the gateway exits once the stream ended").isTrue();
      assertThat(gateway.exitValue()).isZero();
      assertThat(Files.readString(state.resolve("gateway.log"))).contains("portcullis: stopping", "portcullis: stopped");
      new DockerCli(System.getenv("PORTCULLIS_IT_DOCKER_HOST")).run("rm", "-f", tenant + "." + name);
    } finally {
      if (follower != null) {
        follower.destroyForcibly();
      }
      gateway.destroyForcibly();
    }
  }
}
