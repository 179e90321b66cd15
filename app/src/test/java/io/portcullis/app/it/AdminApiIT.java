package io.portcullis.app.it;

import static io.portcullis.app.it.Gateway.IMAGE;
import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.app.PortcullisNode;
import io.portcullis.auth.Onboarding;
import io.portcullis.auth.ca.KeyType;
import io.portcullis.auth.ca.Role;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admin API's tenants, keys, revocations, sessions and configuration, as an operator uses them:
 * curl with an admin certificate, the bundle it hands out used by the real docker CLI over mutual TLS,
 * and the jar's commands with {@code --admin}.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class AdminApiIT {
  static final String LABEL = "portcullis-it=admin-api";
  static Path state;
  static Path admin;
  static Path tenant;
  static int adminPort;
  static int tlsPort;
  static PortcullisNode node;

  @TempDir
  Path tmp;

  @BeforeAll
  static void start() throws Exception {
    state = Files.createTempDirectory("portcullis-admin-api-it");
    Onboarding onboarding = new Onboarding(state);
    onboarding.init(List.of("localhost"), List.of("127.0.0.1"));
    admin = state.resolve("bundles").resolve("ops");
    tenant = state.resolve("bundles").resolve("someone");
    onboarding.addTenant("ops", Role.ADMIN, admin, KeyType.EC);
    onboarding.addTenant("someone", Role.TENANT, tenant, KeyType.EC);
    adminPort = Gateway.freePort();
    tlsPort = Gateway.freePort();
    JsonObject config = new JsonObject()
        .put("edge", new JsonObject().put("tlsHost", "127.0.0.1").put("tlsPort", tlsPort).put("plaintextPort", -1).put("instances", 2))
        .put("admin", new JsonObject().put("host", "127.0.0.1").put("port", adminPort))
        .put("auth", new JsonObject().put("stateDir", state.toString()).put("reloadIntervalMs", 200))
        .put("registry", new JsonObject().put("healthIntervalMs", 1000)
            .put("hosts", new JsonArray().add(new JsonObject().put("name", "local").put("uri", System.getenv("PORTCULLIS_IT_DOCKER_HOST")))))
        .put("cluster", new JsonObject().put("host", "127.0.0.1").put("port", Gateway.freePort()).put("name", "portcullis-admin-api-" + adminPort))
        // Not read by anything: there to be masked by GET /admin/config.
        .put("extra", new JsonObject().put("apiToken", "t0ken-value").put("note", "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"));
    node = PortcullisNode.start(config).toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() throws Exception {
    DockerCli direct = new DockerCli(System.getenv("PORTCULLIS_IT_DOCKER_HOST"));
    for (String id : direct.run("ps", "-aq", "--filter", "label=" + LABEL).out().split("\\s+")) {
      if (!id.isBlank()) {
        direct.run("rm", "-f", id);
      }
    }
    node.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  static AdminCurl.Answer curl(Path bundle, String method, String path, String body) throws Exception {
    return new AdminCurl(admin.resolve("ca.pem"), adminPort).call(bundle, method, path, body);
  }

  /** An admin call that must succeed; its JSON answer. */
  static JsonObject ok(String method, String path, String body) throws Exception {
    AdminCurl.Answer answer = curl(admin, method, path, body);
    assertThat(answer.status()).as("%s %s: %s", method, path, answer).isEqualTo(200);
    return new JsonObject(answer.body());
  }

  static DockerCli docker(Path bundle) {
    return new DockerCli("tcp://127.0.0.1:" + tlsPort, Map.of("DOCKER_TLS_VERIFY", "1", "DOCKER_CERT_PATH", bundle.toString()));
  }

  /** Writes the bundle of a {@code POST /admin/tenants/NAME} answer where DOCKER_CERT_PATH can name it. */
  Path writeBundle(JsonObject added, String name) throws Exception {
    Path dir = Files.createDirectories(tmp.resolve(name));
    JsonObject bundle = added.getJsonObject("bundle");
    for (String file : List.of("ca.pem", "cert.pem", "key.pem")) {
      Files.writeString(dir.resolve(file), bundle.getString(file));
    }
    return dir;
  }

  /** Polls {@code condition} every 100 ms for at most {@code limit}; whether it held. */
  static boolean eventually(Duration limit, Supplier<Boolean> condition) throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    while (System.nanoTime() < deadline) {
      if (condition.get()) {
        return true;
      }
      Thread.sleep(100);
    }
    return condition.get();
  }

  static Optional<JsonObject> tenantListed(String name) throws Exception {
    return ok("GET", "/admin/tenants", null).getJsonArray("tenants").stream().map(JsonObject.class::cast)
        .filter(t -> t.getString("name").equals(name)).findFirst();
  }

  @Test
  void tenantAddedThroughTheApi_runsContainersWithItsBundle_untilRemoved() throws Exception {
    JsonObject added = ok("POST", "/admin/tenants/erin", "{\"role\": \"tenant\", \"keyType\": \"ed25519\"}");
    assertThat(added.getJsonObject("bundle").getString("key.pem")).startsWith("-----BEGIN PRIVATE KEY-----");
    DockerCli erin = docker(writeBundle(added, "erin"));
    DockerCli.Result run = erin.run("run", "--rm", "--network", "none", "--label", LABEL, IMAGE, "echo", "issued-by-the-api");
    assertThat(run.exitCode()).as("%s", run).isZero();
    assertThat(run.out()).isEqualTo("issued-by-the-api\n");
    JsonObject listed = tenantListed("erin").orElseThrow();
    assertThat(listed.getString("role")).isEqualTo("tenant");
    assertThat(listed.getJsonArray("serials").getList()).containsExactly(added.getString("serial"));
    assertThat(Files.readString(state.resolve("tenants.json"))).as("kept in the state directory").contains("\"erin\"");

    AdminCurl.Answer again = curl(admin, "POST", "/admin/tenants/erin", "{}");
    assertThat(again.status()).isEqualTo(409);
    assertThat(new JsonObject(again.body()).getString("message")).contains("erin exists");
    assertThat(curl(admin, "POST", "/admin/tenants/Not.Valid", "{}").status()).isEqualTo(400);
    assertThat(curl(admin, "POST", "/admin/tenants/frank", "{\"keyType\": \"dsa\"}").status()).isEqualTo(400);
    assertThat(curl(admin, "POST", "/admin/tenants/frank", "{\"role\": 7}").status()).isEqualTo(400);
    assertThat(curl(admin, "POST", "/admin/tenants/frank", "[1,").status()).isEqualTo(400);

    assertThat(ok("DELETE", "/admin/tenants/erin", null).getString("removed")).isEqualTo("erin");
    assertThat(eventually(Duration.ofSeconds(5), () -> erin.run("ps").exitCode() != 0)).as("the removed tenant is refused").isTrue();
    assertThat(erin.run("ps").stderr()).contains("not registered");
    AdminCurl.Answer gone = curl(admin, "DELETE", "/admin/tenants/erin", null);
    assertThat(gone.status()).isEqualTo(404);
    assertThat(new JsonObject(gone.body()).getString("message")).contains("no tenant erin");
  }

  @Test
  void aRegisteredKey_identifiesItsSelfSignedCertificate_untilRemoved() throws Exception {
    ok("POST", "/admin/tenants/grace", "{}");
    Path dir = Files.createDirectories(tmp.resolve("grace-own"));
    exec(dir, "openssl", "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", "key.pem");
    exec(dir, "openssl", "req", "-x509", "-new", "-key", "key.pem", "-out", "cert.pem", "-days", "30", "-subj", "/CN=grace");
    exec(dir, "openssl", "pkey", "-in", "key.pem", "-pubout", "-out", "pub.pem");
    Files.copy(admin.resolve("ca.pem"), dir.resolve("ca.pem"));
    DockerCli grace = docker(dir);
    assertThat(grace.run("ps").exitCode()).as("not registered yet").isNotZero();

    JsonObject body = new JsonObject().put("key", Files.readString(dir.resolve("pub.pem"))).put("comment", "laptop");
    String fingerprint = ok("POST", "/admin/tenants/grace/keys", body.encode()).getString("fingerprint");
    assertThat(grace.run("ps").exitCode()).as("the key identifies grace at once").isZero();
    JsonArray keys = ok("GET", "/admin/tenants/grace/keys", null).getJsonArray("keys");
    assertThat(keys.getJsonObject(0).getString("fingerprint")).isEqualTo(fingerprint);
    assertThat(keys.getJsonObject(0).getString("comment")).isEqualTo("laptop");
    assertThat(tenantListed("grace").orElseThrow().getInteger("keys")).isEqualTo(1);

    assertThat(curl(admin, "POST", "/admin/tenants/grace/keys", "{\"key\": \"ssh-rsa nonsense\"}").status()).isEqualTo(400);
    assertThat(curl(admin, "POST", "/admin/tenants/grace/keys", "{}").status()).isEqualTo(400);
    assertThat(curl(admin, "POST", "/admin/tenants/nobody/keys", body.encode()).status()).isEqualTo(404);

    ok("DELETE", "/admin/tenants/grace/keys/" + fingerprint.substring(0, 16), null);
    assertThat(eventually(Duration.ofSeconds(5), () -> grace.run("ps").exitCode() != 0)).as("the removed key no longer identifies").isTrue();
    assertThat(curl(admin, "DELETE", "/admin/tenants/grace/keys/" + fingerprint, null).status()).isEqualTo(404);
  }

  @Test
  void revokingASerial_refusesItsCertificate() throws Exception {
    JsonObject added = ok("POST", "/admin/tenants/heidi", "{}");
    DockerCli heidi = docker(writeBundle(added, "heidi"));
    assertThat(heidi.run("version").exitCode()).isZero();
    String serial = added.getString("serial");
    assertThat(ok("POST", "/admin/revocations", new JsonObject().put("serial", serial.toUpperCase()).encode()).getString("revoked")).isEqualTo(serial);
    assertThat(eventually(Duration.ofSeconds(5), () -> heidi.run("ps").exitCode() != 0)).isTrue();
    assertThat(heidi.run("ps").stderr()).contains("revoked");
    JsonObject listed = tenantListed("heidi").orElseThrow();
    assertThat(listed.getJsonArray("revoked").getList()).containsExactly(serial);
    assertThat(ok("GET", "/admin/tenants", null).getJsonArray("revokedSerials").getList()).contains(serial);
    assertThat(curl(admin, "POST", "/admin/revocations", "{\"serial\": \"not-hex\"}").status()).isEqualTo(400);
    assertThat(curl(admin, "POST", "/admin/revocations", "{}").status()).isEqualTo(400);
  }

  @Test
  void aLiveAttachSession_isListed_andEndedByTheOperator() throws Exception {
    JsonObject added = ok("POST", "/admin/tenants/ivan", "{}");
    DockerCli ivan = docker(writeBundle(added, "ivan"));
    String name = Gateway.uniqueName();
    Process session = ivan.start("run", "-i", "--rm", "--network", "none", "--label", LABEL, "--name", name, IMAGE, "cat");
    try {
      JsonObject[] found = new JsonObject[1];
      assertThat(eventually(Duration.ofSeconds(30), () -> {
        try {
          found[0] = ok("GET", "/admin/sessions", null).getJsonArray("sessions").stream().map(JsonObject.class::cast)
              .filter(s -> s.getString("tenant").equals("ivan")).findFirst().orElse(null);
          return found[0] != null;
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      })).as("ivan's attach session is listed").isTrue();
      JsonObject listed = found[0];
      String id = listed.getString("id");
      assertThat(listed.getString("endpoint")).isEqualTo("POST /containers/{id}/attach");
      // docker run attaches by the id the create answered, as the tenant sees it.
      String containerId = ivan.run("inspect", "--format", "{{.Id}}", name).ok().out().trim();
      assertThat(listed.getString("objectId")).as("%s", listed).isEqualTo(containerId);
      assertThat(listed.getString("node")).endsWith(":" + tlsPort);
      assertThat(listed.getString("openedAt")).isNotBlank();
      assertThat(listed.getLong("backendToClientBytes")).isNotNull();

      String table = jar("session", "list", "--admin", url(), "--cert-path", admin.toString());
      assertThat(table.lines().findFirst().orElseThrow()).startsWith("ID").contains("TENANT", "ENDPOINT", "OPENED");
      assertThat(table.lines().filter(l -> l.startsWith(id + " ")).findFirst().orElseThrow())
          .contains("ivan", "POST /containers/{id}/attach", containerId);
      JsonObject json = new JsonObject(jar("session", "list", "--json", "--admin", url(), "--cert-path", admin.toString()));
      assertThat(json.getJsonArray("sessions").stream().map(s -> ((JsonObject) s).getString("id")).toList()).contains(id);

      assertThat(ok("DELETE", "/admin/sessions/" + id, null).getJsonObject("ended").getString("id")).isEqualTo(id);
      assertThat(session.waitFor(20, TimeUnit.SECONDS)).as("the docker client sees its session end").isTrue();
      AdminCurl.Answer again = curl(admin, "DELETE", "/admin/sessions/" + id, null);
      assertThat(again.status()).isEqualTo(404);
      assertThat(new JsonObject(again.body()).getString("message")).contains("no live session " + id);
    } finally {
      session.destroyForcibly();
    }
  }

  @Test
  void config_isShownWithItsSecretsMasked() throws Exception {
    JsonObject config = ok("GET", "/admin/config", null);
    assertThat(config.getJsonObject("edge").getInteger("tlsPort")).isEqualTo(tlsPort);
    assertThat(config.getJsonObject("edge").getString("tlsKeyPath")).isEqualTo("***");
    assertThat(config.getJsonObject("extra").getString("apiToken")).isEqualTo("***");
    assertThat(config.getJsonObject("extra").getString("note")).as("PEM text").isEqualTo("***");
    assertThat(config.encode()).doesNotContain("t0ken-value").doesNotContain("BEGIN");
    assertThat(curl(admin, "PUT", "/admin/config", "{}").status()).isEqualTo(405);
  }

  @Test
  void aTenantsCertificate_isRefusedEveryAdminResource() throws Exception {
    for (String path : List.of("/admin/tenants", "/admin/tenants/someone/keys", "/admin/sessions", "/admin/config")) {
      AdminCurl.Answer refused = curl(tenant, "GET", path, null);
      assertThat(refused.status()).as(path).isEqualTo(403);
      assertThat(new JsonObject(refused.body()).getString("message")).contains("admin certificates only");
    }
    assertThat(curl(tenant, "POST", "/admin/tenants/mallory", "{}").status()).isEqualTo(403);
    assertThat(curl(tenant, "POST", "/admin/revocations", "{\"serial\": \"1\"}").status()).isEqualTo(403);
    assertThat(tenantListed("mallory")).isEmpty();
  }

  @Test
  void jarsTenantCommands_withAdminUrl_goThroughTheAdminApi() throws Exception {
    Path bundle = tmp.resolve("judy-bundle");
    String added = jar("tenant", "add", "judy", "--out", bundle.toString(), "--admin", url(), "--cert-path", admin.toString());
    assertThat(added).contains("tenant judy: client bundle written to " + bundle);
    assertThat(Files.readString(bundle.resolve("key.pem"))).startsWith("-----BEGIN PRIVATE KEY-----");
    assertThat(docker(bundle).run("version").exitCode()).as("the bundle works").isZero();
    assertThat(jar("tenant", "add", "judy", "--out", tmp.resolve("x").toString(), "--admin", url(), "--cert-path", admin.toString()))
        .contains("judy exists");

    String table = jar("tenant", "list", "--admin", url(), "--cert-path", admin.toString());
    assertThat(table.lines().findFirst().orElseThrow()).startsWith("TENANT").contains("ROLE", "KEYS", "SERIALS");
    assertThat(table.lines().filter(l -> l.startsWith("judy ")).findFirst().orElseThrow()).contains("tenant");
    JsonObject json = new JsonObject(jar("tenant", "list", "--json", "--admin", url(), "--cert-path", admin.toString()));
    assertThat(json.getJsonArray("tenants").stream().map(t -> ((JsonObject) t).getString("name")).toList()).contains("judy", "ops");
    assertThat(jar("tenant", "list", "--admin", url(), "--cert-path", tenant.toString())).contains("admin certificates only");
    assertThat(jar("session", "list")).as("no state directory holds sessions").contains("give --admin");
  }

  static String url() {
    return "https://127.0.0.1:" + adminPort;
  }

  /** The jar's command line, as an operator runs it (no state directory needed with --admin). */
  static String jar(String... args) throws Exception {
    return Jar.run(state.resolve("elsewhere"), args);
  }

  private static void exec(Path dir, String... command) throws Exception {
    Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(String.join(" ", command) + ": " + out).isZero();
  }
}
