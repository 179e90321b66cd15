package io.portcullis.app.it;

import static io.portcullis.app.it.Gateway.IMAGE;
import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.app.it.DockerCli.Result;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * README's onboarding walk-through with the runnable jar itself: init, a tenant with a bundle, a tenant
 * whose key was made by openssl and sent as a CSR, the gateway started as its own process, both
 * tenants running containers, and a revocation taking effect on the running gateway.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class OnboardingCliIT {
  @TempDir
  Path tmp;

  private static String jar() {
    String jar = System.getenv("PORTCULLIS_JAR");
    if (jar == null || !Files.isRegularFile(Path.of(jar))) {
      throw new IllegalStateException("PORTCULLIS_JAR must name the built jar (set by the failsafe configuration)");
    }
    return jar;
  }

  private Result portcullis(Path state, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("java", "-jar", jar(), "--state", state.toString()));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
    byte[] out = p.getInputStream().readAllBytes();
    byte[] err = p.getErrorStream().readAllBytes();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Result(p.exitValue(), out, new String(err, StandardCharsets.UTF_8));
  }

  private static void run(Path dir, String... command) throws Exception {
    Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
  }

  @Test
  void fromAnEmptyStateDirectory_toTenantsRunningContainers() throws Exception {
    Path state = tmp.resolve("state");
    assertThat(portcullis(state, "init", "--name", "localhost", "--ip", "127.0.0.1").ok().out()).contains("CA and server certificate created");
    assertThat(portcullis(state, "init").exitCode()).as("init refuses to overwrite a CA").isNotZero();

    Path alice = tmp.resolve("alice");
    String added = portcullis(state, "tenant", "add", "alice", "--out", alice.toString()).ok().out();
    assertThat(added).contains("DOCKER_CERT_PATH=" + alice.toAbsolutePath());
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(alice.resolve("key.pem")))).isEqualTo("rw-------");

    // Bob keeps his key: openssl makes it and a CSR, the gateway only signs.
    Path bob = Files.createDirectories(tmp.resolve("bob"));
    run(bob, "openssl", "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
        "-keyout", "key.pem", "-out", "bob.csr", "-subj", "/CN=bob");
    portcullis(state, "tenant", "add", "bob").ok();
    String signed = portcullis(state, "sign-csr", "--tenant", "bob", "--csr", bob.resolve("bob.csr").toString(),
        "--out", bob.resolve("cert.pem").toString()).ok().out();
    Matcher serial = Pattern.compile("serial ([0-9a-f]+)").matcher(signed);
    assertThat(serial.find()).as(signed).isTrue();
    Files.copy(state.resolve("ca").resolve("ca.pem"), bob.resolve("ca.pem"));
    assertThat(portcullis(state, "tenant", "list").ok().out()).contains("alice").contains("bob");

    int tlsPort = Gateway.freePort();
    int clusterPort = Gateway.freePort();
    ProcessBuilder pb = new ProcessBuilder("java", "-jar", jar(), "--state", state.toString()).redirectErrorStream(true);
    pb.environment().putAll(Map.of(
        "PORTCULLIS_BACKENDS", "local=" + Gateway.shared().backendUri,
        "PORTCULLIS_TLS_PORT", String.valueOf(tlsPort),
        "PORTCULLIS_ADMIN_PORT", String.valueOf(Gateway.freePort()),
        "PORTCULLIS_CLUSTER_PORT", String.valueOf(clusterPort),
        "PORTCULLIS_CLUSTER_MEMBERS", "127.0.0.1:" + clusterPort,
        "PORTCULLIS_CLUSTER_NAME", "onboarding-it-" + clusterPort));
    Process gateway = pb.start();
    try {
      waitForLine(gateway, "listening with mutual TLS");
      DockerCli asAlice = new DockerCli("tcp://127.0.0.1:" + tlsPort, Map.of("DOCKER_TLS_VERIFY", "1", "DOCKER_CERT_PATH", alice.toString()));
      DockerCli asBob = new DockerCli("tcp://127.0.0.1:" + tlsPort, Map.of("DOCKER_TLS_VERIFY", "1", "DOCKER_CERT_PATH", bob.toString()));
      assertThat(asAlice.run("run", "--rm", "--network", "none", IMAGE, "echo", "alice-was-here").ok().out()).isEqualTo("alice-was-here\n");
      assertThat(asBob.run("run", "--rm", "--network", "none", IMAGE, "echo", "bob-was-here").ok().out()).isEqualTo("bob-was-here\n");

      portcullis(state, "revoke", serial.group(1)).ok();
      Result refused = null;
      for (int i = 0; i < 50; i++) {
        refused = asBob.run("version");
        if (refused.exitCode() != 0) {
          break;
        }
        Thread.sleep(200);
      }
      assertThat(refused.exitCode()).isNotZero();
      assertThat(refused.stderr()).contains("revoked");
      asAlice.run("version").ok();
    } finally {
      gateway.destroy();
      assertThat(gateway.waitFor(30, TimeUnit.SECONDS)).as("the gateway stops on SIGTERM").isTrue();
    }
  }

  private static void waitForLine(Process process, String text) throws Exception {
    BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    StringBuilder seen = new StringBuilder();
    long deadline = System.currentTimeMillis() + 90_000;
    while (System.currentTimeMillis() < deadline) {
      String line = reader.readLine();
      if (line == null) {
        throw new AssertionError("the gateway exited; it said:\n" + seen);
      }
      seen.append(line).append('\n');
      if (line.contains(text)) {
        // Keep draining its output so that the process never blocks on a full pipe.
        Thread drain = new Thread(() -> {
          try {
            while (reader.readLine() != null) {
              // discard
            }
          } catch (java.io.IOException ignored) {
            // process ended
          }
        });
        drain.setDaemon(true);
        drain.start();
        return;
      }
    }
    throw new AssertionError("the gateway did not say '" + text + "'; it said:\n" + seen);
  }
}
