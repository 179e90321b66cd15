package io.portcullis.app.it;

import static io.portcullis.app.it.Gateway.IMAGE;
import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.app.PortcullisNode;
import io.portcullis.contracts.BackendHost;
import io.portcullis.contracts.BackendTls;
import io.portcullis.contracts.RegistryClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A backend daemon that accepts only mutual TLS ({@code dockerd --tlsverify}), with certificates made
 * by openssl: declared in the configuration with certificate files, and registered over the event bus
 * with PEM text. The tenant's calls (including a hijacked {@code exec -i}) reach it; a registration
 * whose CA did not sign the daemon's certificate never counts as up.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class TlsBackendIT {
  static final String TENANT = "tlsb-" + UUID.randomUUID().toString().substring(0, 8);
  static Path work;
  static Path daemonDir;
  static int daemonPort;
  static PortcullisNode node;
  static DockerCli docker;

  @BeforeAll
  static void start() throws Exception {
    work = Files.createTempDirectory("portcullis-tlsb");
    Path certs = work.resolve("certs");
    Files.createDirectories(certs);
    makeCertificates(certs, "");
    makeCertificates(certs, "other-");
    daemonDir = work.resolve("daemon");
    daemonPort = Gateway.freePort();
    ProcessBuilder builder = new ProcessBuilder("bash", MultiHostIT.SCRIPTS.resolve("dockerd-start.sh").toString(),
        daemonDir.toString(), String.valueOf(daemonPort)).redirectErrorStream(true);
    builder.environment().put("PORTCULLIS_DOCKERD_TLS_DIR", certs.toString());
    Process p = builder.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException("dockerd with --tlsverify did not start: " + out);
    }
    Path state = work.resolve("state");
    Files.createDirectories(state);
    new io.portcullis.auth.Onboarding(state).init(List.of("localhost"), List.of("127.0.0.1"));
    int port = Gateway.freePort();
    JsonObject secure = new JsonObject().put("name", "secure").put("uri", "tcp://127.0.0.1:" + daemonPort)
        .put("tls", new JsonObject().put("caFile", certs.resolve("ca.pem").toString())
            .put("certFile", certs.resolve("client-cert.pem").toString()).put("keyFile", certs.resolve("client-key.pem").toString()));
    JsonObject config = new JsonObject()
        .put("edge", new JsonObject().put("plaintextHost", "127.0.0.1").put("plaintextPort", port).put("tlsPort", -1).put("routeCacheMs", 200))
        .put("auth", new JsonObject().put("plaintextTenant", TENANT).put("stateDir", state.toString()))
        .put("registry", new JsonObject().put("healthIntervalMs", 300)
            .put("hosts", new JsonArray().add(new JsonObject().put("name", "plain").put("uri", System.getenv("PORTCULLIS_IT_DOCKER_HOST"))).add(secure)))
        .put("cluster", new JsonObject().put("host", "127.0.0.1").put("port", Gateway.freePort()).put("name", "portcullis-tlsb-" + port));
    node = PortcullisNode.start(config).toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
    docker = new DockerCli("tcp://127.0.0.1:" + port);
  }

  /** A CA, a server certificate for 127.0.0.1 and a client certificate, by openssl (names prefixed). */
  static void makeCertificates(Path dir, String prefix) throws Exception {
    String script = String.join("\n",
        "set -e",
        "cd '" + dir + "'",
        "p=" + prefix,
        "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ${p}ca-key.pem -out ${p}ca.pem -days 2 -subj /CN=${p}test-ca 2>/dev/null",
        "for who in server client; do",
        "  openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ${p}$who-key.pem -out ${p}$who.csr -subj /CN=127.0.0.1 2>/dev/null",
        "  usage=serverAuth; [ $who = client ] && usage=clientAuth",
        "  printf 'subjectAltName=IP:127.0.0.1\\nextendedKeyUsage=%s\\n' $usage > ${p}$who.ext",
        "  openssl x509 -req -in ${p}$who.csr -CA ${p}ca.pem -CAkey ${p}ca-key.pem -CAcreateserial -out ${p}$who-cert.pem -days 2 -extfile ${p}$who.ext 2>/dev/null",
        "done");
    Process p = new ProcessBuilder("bash", "-c", script).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException("openssl failed: " + out);
    }
  }

  @AfterAll
  static void stop() throws Exception {
    if (node != null) {
      node.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
    DockerCli plain = new DockerCli(System.getenv("PORTCULLIS_IT_DOCKER_HOST"));
    for (String id : plain.run("ps", "-aq", "--filter", "label=io.portcullis.tenant=" + TENANT).out().split("\\s+")) {
      if (!id.isBlank()) {
        plain.run("rm", "-f", id);
      }
    }
    new ProcessBuilder("bash", MultiHostIT.SCRIPTS.resolve("dockerd-stop.sh").toString(), daemonDir.toString())
        .inheritIO().start().waitFor(60, TimeUnit.SECONDS);
  }

  static BackendHost awaitHost(RegistryClient registry, Predicate<BackendHost> wanted) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < deadline) {
      for (BackendHost h : registry.hosts().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS)) {
        if (wanted.test(h)) {
          return h;
        }
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no host became as expected");
  }

  @Test
  void daemonWithTlsVerify_servesTheTenantsCallsThroughTheGateway_andAWrongCaIsNeverUp() throws Exception {
    RegistryClient registry = new RegistryClient(node.vertx(), 5000);
    awaitHost(registry, h -> h.name().equals("secure") && h.state() == BackendHost.HostState.UP);
    DockerCli onDaemon = new DockerCli("unix://" + daemonDir.resolve("docker.sock"));
    assertThat(new DockerCli("tcp://127.0.0.1:" + daemonPort).run("version").exitCode())
        .as("the daemon refuses a client without a certificate").isNotZero();

    String name = "t" + UUID.randomUUID().toString().substring(0, 6);
    docker.run("run", "-d", "--name", name, "--network", "none", "-e", "constraint:node.hostname==secure", IMAGE,
        "sh", "-c", "echo over-tls; sleep 600").ok();
    assertThat(onDaemon.run("ps", "-q", "--filter", "name=" + TENANT + "." + name).out()).isNotBlank();
    assertThat(docker.run("logs", name).ok().out()).contains("over-tls");
    assertThat(docker.runWithInput("through-a-tls-backend\n".getBytes(StandardCharsets.UTF_8), "exec", "-i", name, "cat").ok().out())
        .isEqualTo("through-a-tls-backend\n");
    assertThat(docker.run("ps", "--format", "{{.Names}}").ok().out()).contains(name);
    docker.run("rm", "-f", name).ok();

    Path certs = work.resolve("certs");
    BackendTls pem = new BackendTls(Files.readString(certs.resolve("ca.pem")), Files.readString(certs.resolve("client-cert.pem")),
        Files.readString(certs.resolve("client-key.pem")));
    registry.register(BackendHost.of("by-bus", "tcp://127.0.0.1:" + daemonPort).withTls(pem))
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    awaitHost(registry, h -> h.name().equals("by-bus") && h.state() == BackendHost.HostState.UP);

    BackendTls wrongCa = new BackendTls(Files.readString(certs.resolve("other-ca.pem")), pem.cert(), pem.key());
    BackendHost untrusted = registry.register(BackendHost.of("untrusted", "tcp://127.0.0.1:" + daemonPort).withTls(wrongCa))
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertThat(untrusted.state()).as("its certificate is not from the CA we were given").isEqualTo(BackendHost.HostState.DOWN);
    BackendTls strangerClient = new BackendTls(pem.ca(), Files.readString(certs.resolve("other-client-cert.pem")),
        Files.readString(certs.resolve("other-client-key.pem")));
    BackendHost refused = registry.register(BackendHost.of("stranger", "tcp://127.0.0.1:" + daemonPort).withTls(strangerClient))
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertThat(refused.state()).as("the daemon does not know our client certificate").isEqualTo(BackendHost.HostState.DOWN);
    assertThat(BackendHost.fromJson(registry.hosts().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS).stream()
        .filter(h -> h.name().equals("by-bus")).findFirst().orElseThrow().toJson()).tls()).isEqualTo(pem);
    assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(work.resolve("state").resolve("hosts.json"))))
        .as("hosts.json holds a client key").isEqualTo("rw-------");
  }
}
