package io.portcullis.app.it;

import static io.portcullis.app.it.Gateway.IMAGE;
import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.app.it.DockerCli.Result;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Push and pull through the gateway against a real registry (Debian's docker-registry) on loopback,
 * which dockerd trusts over plain HTTP because it is on 127.0.0.0/8. Progress streams through.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class RegistryPushPullIT {
  static Gateway gateway;
  static DockerCli docker;
  static Process registry;
  static Path registryDir;
  static String repo;

  @BeforeAll
  static void start() throws Exception {
    gateway = Gateway.shared();
    docker = gateway.cli();
    registryDir = Files.createTempDirectory("portcullis-it-registry");
    int port = Gateway.freePort();
    Path config = registryDir.resolve("config.yml");
    Files.writeString(config, String.join("\n",
        "version: 0.1",
        "log:",
        "  level: warn",
        "storage:",
        "  filesystem:",
        "    rootdirectory: " + registryDir.resolve("data"),
        "http:",
        "  addr: 127.0.0.1:" + port,
        ""));
    registry = new ProcessBuilder("docker-registry", "serve", config.toString())
        .redirectErrorStream(true)
        .redirectOutput(registryDir.resolve("registry.log").toFile())
        .start();
    waitForRegistry(port);
    repo = "127.0.0.1:" + port + "/it/busybox";
  }

  @AfterAll
  static void stop() throws Exception {
    if (registry != null) {
      registry.destroy();
      registry.waitFor(10, TimeUnit.SECONDS);
    }
    gateway.direct().run("rmi", "-f", repo + ":pushed");
  }

  private static void waitForRegistry(int port) throws Exception {
    for (int i = 0; i < 100; i++) {
      try {
        HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + "/v2/").toURL().openConnection();
        c.setConnectTimeout(500);
        if (c.getResponseCode() == 200) {
          return;
        }
      } catch (java.io.IOException notYet) {
        // not listening yet
      }
      Thread.sleep(100);
    }
    throw new AssertionError("docker-registry did not start; log: " + Files.readString(registryDir.resolve("registry.log")));
  }

  @Test
  void pushThenPull_throughTheGateway_roundTripsTheImage() {
    // A tenant pushes an image of its own (a shared one cannot be retagged): commit one under the name.
    String source = Gateway.uniqueName();
    docker.run("create", "--network", "none", "--name", source, IMAGE, "true").ok();
    Result commit = docker.run("commit", source, repo + ":pushed");
    docker.run("rm", source).ok();
    assertThat(commit.exitCode()).as("%s", commit).isZero();
    Result push = docker.run(null, null, Duration.ofSeconds(120), Map.of(), "push", repo + ":pushed");
    assertThat(push.exitCode()).as("%s", push).isZero();
    assertThat(push.out()).contains("pushed: digest: sha256:");
    Result rmi = docker.run("rmi", repo + ":pushed");
    assertThat(rmi.exitCode()).as("%s", rmi).isZero();
    Result pull = docker.run(null, null, Duration.ofSeconds(120), Map.of(), "pull", repo + ":pushed");
    assertThat(pull.exitCode()).as("%s", pull).isZero();
    assertThat(pull.out()).contains("Status: ").contains(repo + ":pushed");
    Result run = docker.run("run", "--rm", "--network", "none", repo + ":pushed", "echo", "pulled-and-ran");
    assertThat(run.exitCode()).as("%s", run).isZero();
    assertThat(run.out()).isEqualTo("pulled-and-ran\n");
  }

  @Test
  void pullOfAMissingTag_reportsTheRegistrysError() {
    Result pull = docker.run(null, null, Duration.ofSeconds(60), Map.of(), "pull", repo + ":no-such-tag");
    assertThat(pull.exitCode()).isNotZero();
    assertThat(pull.stderr()).contains("not found");
  }

  @Test
  void aTenantWithoutTheRegistriesRule_cannotPullPushOrLogInOutsideTheAllowedRegistries() throws Exception {
    DockerCli other = gateway.tlsCli();
    Result pull = other.run(null, null, Duration.ofSeconds(60), Map.of(), "pull", repo + ":pushed");
    assertThat(pull.exitCode()).isNotZero();
    assertThat(pull.stderr()).contains("is not allowed").contains("rule registries");
    try (var tls = TlsClient.connect(gateway.tenantBundle, gateway.tlsPort)) {
      String[] login = TlsClient.call(tls, "POST", "/v1.41/auth",
          "{\"username\":\"u\",\"password\":\"p\",\"ServerAddress\":\"http://" + repo.substring(0, repo.indexOf('/')) + "\"}");
      assertThat(login[0]).startsWith("HTTP/1.1 403");
      assertThat(login[1]).contains("rule registries");
    }
  }
}
