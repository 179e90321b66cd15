package io.portcullis.app.it;

import static io.portcullis.app.it.Gateway.IMAGE;
import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.app.it.DockerCli.Result;
import io.portcullis.auth.Onboarding;
import io.portcullis.auth.ca.KeyType;
import io.portcullis.auth.ca.Role;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Who gets in over mutual TLS, and what the docker CLI says to those who do not. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TlsAuthIT {
  static final String LABEL = "portcullis-it=tls-auth";
  static Gateway gateway;
  static Onboarding onboarding;

  @TempDir
  Path tmp;

  @BeforeAll
  static void start() {
    gateway = Gateway.shared();
    onboarding = gateway.onboarding();
  }

  @AfterAll
  static void cleanUp() {
    gateway.removeContainersLabelled(LABEL);
  }

  private Path bundle(String tenant, KeyType keyType) throws Exception {
    Path dir = tmp.resolve(tenant);
    onboarding.addTenant(tenant, Role.TENANT, dir, keyType);
    return dir;
  }

  @ParameterizedTest
  @EnumSource(KeyType.class)
  void tenantBundle_works_withEveryKeyType(KeyType keyType) throws Exception {
    Path dir = bundle("keys-" + keyType.name().toLowerCase(), keyType);
    Result r = gateway.tlsCli(dir).runWithInput("over-tls\n".getBytes(StandardCharsets.UTF_8),
        "run", "-i", "--rm", "--network", "none", "--label", LABEL, IMAGE, "cat");
    assertThat(r.exitCode()).as("%s", r).isZero();
    assertThat(r.out()).isEqualTo("over-tls\n");
  }

  @Test
  void dockerContext_withTheBundle_works() throws Exception {
    Path dir = bundle("context-user", KeyType.EC);
    Path config = tmp.resolve("docker-config");
    Map<String, String> env = Map.of("DOCKER_CONFIG", config.toString());
    DockerCli plain = new DockerCli("unused");
    String endpoint = "host=tcp://127.0.0.1:" + gateway.tlsPort + ",ca=" + dir.resolve("ca.pem") + ",cert=" + dir.resolve("cert.pem")
        + ",key=" + dir.resolve("key.pem");
    Result create = runWithoutHost(env, "context", "create", "portcullis-it", "--docker", endpoint);
    assertThat(create.exitCode()).as("%s", create).isZero();
    Result version = runWithoutHost(env, "--context", "portcullis-it", "version", "--format", "{{.Server.APIVersion}}");
    assertThat(version.exitCode()).as("%s", version).isZero();
    assertThat(version.out().trim()).isEqualTo("1.41");
    assertThat(plain.host()).isEqualTo("unused");
  }

  /** Runs the CLI without -H, so that the context decides where it goes. */
  private static Result runWithoutHost(Map<String, String> env, String... args) throws Exception {
    List<String> command = new java.util.ArrayList<>(List.of("docker"));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    pb.environment().remove("DOCKER_HOST");
    pb.environment().putAll(env);
    Process p = pb.start();
    byte[] out = p.getInputStream().readAllBytes();
    byte[] err = p.getErrorStream().readAllBytes();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Result(p.exitValue(), out, new String(err, StandardCharsets.UTF_8));
  }

  @Test
  void withoutAClientCertificate_theHandshakeIsRefused() throws Exception {
    Path dir = tmp.resolve("no-cert");
    Files.createDirectories(dir);
    Result r = new DockerCli("tcp://127.0.0.1:" + gateway.tlsPort).run("--tlsverify", "--tlscacert",
        gateway.tenantBundle.resolve("ca.pem").toString(), "ps");
    assertThat(r.exitCode()).isNotZero();
    assertThat(r.stderr()).contains("client authentication").contains("bad certificate");
  }

  @Test
  void certificateFromAnotherCa_isRefusedWithAMessageTheCliPrints() throws Exception {
    Path otherState = tmp.resolve("other-state");
    Onboarding other = new Onboarding(otherState);
    other.init(List.of("localhost"), List.of("127.0.0.1"));
    Path dir = tmp.resolve("forged");
    other.addTenant("it", Role.TENANT, dir, KeyType.EC);
    // The client still trusts the real gateway's CA, so the handshake completes; the gateway refuses the cert.
    Files.copy(gateway.tenantBundle.resolve("ca.pem"), dir.resolve("ca.pem"), StandardCopyOption.REPLACE_EXISTING);
    Result r = gateway.tlsCli(dir).run("ps");
    assertThat(r.exitCode()).isNotZero();
    assertThat(r.stderr()).contains("certificate not recognised");
  }

  @Test
  void revokingACertificate_refusesNewCalls_andClosesItsOpenSessions() throws Exception {
    Path dir = tmp.resolve("revoked");
    String serial = onboarding.addTenant("revoked-user", Role.TENANT, dir, KeyType.EC);
    DockerCli docker = gateway.tlsCli(dir);
    assertThat(docker.run("version").exitCode()).isZero();
    String name = Gateway.uniqueName();
    Process session = docker.start("run", "-i", "--rm", "--network", "none", "--label", LABEL, "--name", name, IMAGE, "cat");
    waitUntilRunning("revoked-user." + name);
    onboarding.revokeSerial(serial);
    assertThat(session.waitFor(20, TimeUnit.SECONDS)).as("the revoked identity's attached session is closed").isTrue();
    Result refused = docker.run("ps");
    assertThat(refused.exitCode()).isNotZero();
    assertThat(refused.stderr()).contains("revoked");
    assertThat(gateway.tlsCli().run("version").exitCode()).as("other tenants are untouched").isZero();
  }

  @Test
  void removingATenant_refusesItsCertificates() throws Exception {
    Path dir = bundle("removed-user", KeyType.EC);
    DockerCli docker = gateway.tlsCli(dir);
    assertThat(docker.run("version").exitCode()).isZero();
    onboarding.removeTenant("removed-user");
    Result refused = null;
    for (int i = 0; i < 50; i++) {
      refused = docker.run("ps");
      if (refused.exitCode() != 0) {
        break;
      }
      Thread.sleep(100);
    }
    assertThat(refused.exitCode()).isNotZero();
    assertThat(refused.stderr()).contains("not registered");
  }

  @Test
  void tls12Client_isRefusedAtTheHandshake() throws Exception {
    Path bundle = gateway.tenantBundle;
    Process p = new ProcessBuilder("openssl", "s_client", "-tls1_2", "-connect", "127.0.0.1:" + gateway.tlsPort,
        "-cert", bundle.resolve("cert.pem").toString(), "-key", bundle.resolve("key.pem").toString(),
        "-CAfile", bundle.resolve("ca.pem").toString())
        .redirectErrorStream(true).start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isNotZero();
    assertThat(out).containsIgnoringCase("alert");
  }

  private static void waitUntilRunning(String name) throws Exception {
    for (int i = 0; i < 100; i++) {
      Result r = gateway.direct().run("inspect", "--format", "{{.State.Running}}", name);
      if (r.exitCode() == 0 && r.out().trim().equals("true")) {
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("container " + name + " did not start");
  }

  /** A key and a self-signed certificate made by openssl, in a bundle that trusts the gateway's CA. */
  private Path selfSignedBundle(String name, String... genpkeyArgs) throws Exception {
    Path dir = Files.createDirectories(tmp.resolve(name));
    List<String> genpkey = new java.util.ArrayList<>(List.of("openssl", "genpkey"));
    genpkey.addAll(List.of(genpkeyArgs));
    genpkey.addAll(List.of("-out", "key.pem"));
    exec(dir, genpkey.toArray(new String[0]));
    exec(dir, "openssl", "req", "-x509", "-new", "-key", "key.pem", "-out", "cert.pem", "-days", "30", "-subj", "/CN=" + name);
    Files.copy(gateway.tenantBundle.resolve("ca.pem"), dir.resolve("ca.pem"));
    return dir;
  }

  private static String exec(Path dir, String... command) throws Exception {
    Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(String.join(" ", command) + ": " + out).isZero();
    return out;
  }

  @Test
  void selfSignedCertificates_ofRegisteredKeys_work_asOpenSshLinesOrPem() throws Exception {
    Path ec = selfSignedBundle("dave-ec", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256");
    Path rsa = selfSignedBundle("dave-rsa", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048");
    Path ed = selfSignedBundle("dave-ed", "-algorithm", "ED25519");
    onboarding.registerTenant("dave", Role.TENANT);
    Files.writeString(ec.resolve("id.pub"), exec(ec, "ssh-keygen", "-y", "-f", "key.pem"));
    Files.writeString(rsa.resolve("id.pub"), exec(rsa, "ssh-keygen", "-y", "-f", "key.pem"));
    exec(ed, "openssl", "pkey", "-in", "key.pem", "-pubout", "-out", "pub.pem");
    onboarding.addKey("dave", Files.readString(ec.resolve("id.pub")), "ec");
    onboarding.addKey("dave", Files.readString(rsa.resolve("id.pub")), "rsa");
    onboarding.addKey("dave", Files.readString(ed.resolve("pub.pem")), "ed25519");
    for (Path bundle : List.of(ec, rsa, ed)) {
      Result r = gateway.tlsCli(bundle).run("run", "--rm", "--network", "none", "--label", LABEL, IMAGE, "echo", "self-signed-ok");
      assertThat(r.exitCode()).as(bundle + ": %s", r).isZero();
      assertThat(r.out()).isEqualTo("self-signed-ok\n");
    }
  }

  @Test
  void selfSignedCertificate_ofAnUnregisteredKey_isRefused() throws Exception {
    Path dir = selfSignedBundle("mallory", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256");
    Result r = gateway.tlsCli(dir).run("ps");
    assertThat(r.exitCode()).isNotZero();
    assertThat(r.stderr()).contains("certificate not recognised").contains("is not registered");
  }

  private static String ping(javax.net.ssl.SSLSocket socket) throws Exception {
    String[] answer = TlsClient.call(socket, "GET", "/_ping", null);
    return answer[0] + " " + answer[1];
  }

  @Test
  void revocation_refusesTheNextRequestOnAnOpenKeepAliveConnection() throws Exception {
    Path dir = tmp.resolve("keepalive");
    String serial = onboarding.addTenant("keepalive-user", Role.TENANT, dir, KeyType.EC);
    try (var socket = TlsClient.connect(dir, gateway.tlsPort)) {
      assertThat(ping(socket)).startsWith("HTTP/1.1 200").endsWith("OK");
      onboarding.revokeSerial(serial);
      String after = null;
      for (int i = 0; i < 50; i++) {
        Thread.sleep(100);
        after = ping(socket);
        if (!after.startsWith("HTTP/1.1 200")) {
          break;
        }
      }
      assertThat(after).startsWith("HTTP/1.1 403").contains("revoked");
    }
  }
}
