package io.portcullis.app.it;

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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The admin port's {@code /admin/hosts}, driven with curl and certificates our CA issued: an admin
 * registers, drains, lists and removes a host; a tenant's certificate is refused, and so is a client
 * without one.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class AdminHostsIT {
  static Path state;
  static Path admin;
  static Path tenant;
  static int adminPort;
  static PortcullisNode node;

  @BeforeAll
  static void start() throws Exception {
    state = Files.createTempDirectory("portcullis-admin-it");
    Onboarding onboarding = new Onboarding(state);
    onboarding.init(List.of("localhost"), List.of("127.0.0.1"));
    admin = state.resolve("bundles").resolve("ops");
    tenant = state.resolve("bundles").resolve("someone");
    onboarding.addTenant("ops", Role.ADMIN, admin, KeyType.EC);
    onboarding.addTenant("someone", Role.TENANT, tenant, KeyType.EC);
    adminPort = Gateway.freePort();
    JsonObject config = new JsonObject()
        .put("edge", new JsonObject().put("tlsPort", -1).put("plaintextPort", Gateway.freePort()).put("instances", 1))
        .put("admin", new JsonObject().put("host", "127.0.0.1").put("port", adminPort))
        .put("auth", new JsonObject().put("stateDir", state.toString()))
        .put("registry", new JsonObject().put("healthIntervalMs", 500)
            .put("hosts", new JsonArray().add(new JsonObject().put("name", "local").put("uri", System.getenv("PORTCULLIS_IT_DOCKER_HOST")))))
        .put("cluster", new JsonObject().put("host", "127.0.0.1").put("port", Gateway.freePort()).put("name", "portcullis-admin-" + adminPort));
    node = PortcullisNode.start(config).toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() throws Exception {
    node.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  /** curl with the bundle's certificate (null: none), trusting the gateway's CA. */
  static AdminCurl.Answer curl(Path bundle, String method, String path, String body) throws Exception {
    return new AdminCurl(admin.resolve("ca.pem"), adminPort).call(bundle, method, path, body);
  }

  @Test
  void admin_registersDrainsListsAndRemovesAHost() throws Exception {
    AdminCurl.Answer put = curl(admin, "PUT", "/admin/hosts/h9", "{\"uri\": \"unix://" + state.resolve("nowhere.sock") + "\", \"labels\": {\"pool\": \"gold\"}}");
    assertThat(put.status()).as("%s", put).isEqualTo(200);
    JsonObject registered = new JsonObject(put.body());
    assertThat(registered.getString("state")).as("its first check is in the answer").isEqualTo("down");
    assertThat(registered.getJsonObject("labels").getString("pool")).isEqualTo("gold");

    AdminCurl.Answer drained = curl(admin, "POST", "/admin/hosts/h9/drain", null);
    assertThat(new JsonObject(drained.body()).getBoolean("draining")).isTrue();

    AdminCurl.Answer list = curl(admin, "GET", "/admin/hosts", null);
    assertThat(list.status()).isEqualTo(200);
    JsonArray hosts = new JsonObject(list.body()).getJsonArray("hosts");
    assertThat(hosts.stream().map(h -> ((JsonObject) h).getString("name")).toList()).contains("local", "h9");
    assertThat(hosts.stream().map(h -> ((JsonObject) h).getValue("tls")).toList()).as("TLS material never shown").containsOnly(false);
    assertThat(Files.readString(state.resolve("hosts.json"))).as("kept for the next start").contains("h9");

    assertThat(curl(admin, "DELETE", "/admin/hosts/h9", null).status()).isEqualTo(200);
    assertThat(curl(admin, "GET", "/admin/hosts", null).body()).doesNotContain("h9");
    AdminCurl.Answer again = curl(admin, "DELETE", "/admin/hosts/h9", null);
    assertThat(again.status()).isEqualTo(404);
    assertThat(new JsonObject(again.body()).getString("message")).contains("no backend host named h9");
  }

  @Test
  void jarsHostCommands_withAdminUrl_goThroughTheAdminApi() throws Exception {
    String url = "https://127.0.0.1:" + adminPort;
    assertThat(jar("host", "add", "h6", "tcp://127.0.0.1:9", "--label", "zone=b", "--admin", url, "--cert-path", admin.toString()))
        .contains("host h6 (tcp://127.0.0.1:9) registered");
    String list = jar("host", "list", "--admin", url, "--cert-path", admin.toString());
    assertThat(list.lines().filter(l -> l.startsWith("h6 ")).findFirst().orElseThrow()).contains("down", "zone=b");
    assertThat(list).as("configured hosts are listed too, with health").containsPattern("local\\s+\\S+\\s+up");
    assertThat(jar("host", "drain", "h6", "--admin", url, "--cert-path", admin.toString())).contains("is draining");
    assertThat(jar("host", "remove", "h6", "--admin", url, "--cert-path", admin.toString())).contains("removed");
    assertThat(curl(admin, "GET", "/admin/hosts", null).body()).doesNotContain("h6");
    assertThat(jar("host", "list", "--admin", url, "--cert-path", tenant.toString())).contains("admin certificates only");
  }

  /** The jar's command line, as an operator runs it (no state directory needed with --admin). */
  static String jar(String... args) throws Exception {
    return Jar.run(state.resolve("elsewhere"), args);
  }

  @Test
  void probes_answerWithoutACertificate() throws Exception {
    AdminCurl.Answer health = curl(null, "GET", "/health", null);
    assertThat(health.status()).as("%s", health).isEqualTo(200);
    assertThat(new JsonObject(health.body()).getString("status")).isEqualTo("UP");
    AdminCurl.Answer ready = curl(null, "GET", "/readiness", null);
    assertThat(ready.status()).as("%s", ready).isEqualTo(200);
    JsonObject readiness = new JsonObject(ready.body());
    assertThat(readiness.getString("auth")).isEqualTo("UP");
    assertThat(readiness.getLong("backendsUp")).isPositive();
    assertThat(curl(null, "GET", "/admin/hosts", null).status()).as("the admin resources still need a certificate").isEqualTo(401);
  }

  @Test
  void badRegistration_isRefusedWithTheReason() throws Exception {
    AdminCurl.Answer bad = curl(admin, "PUT", "/admin/hosts/h8", "{\"uri\": \"http://10.0.0.1\"}");
    assertThat(bad.status()).isEqualTo(400);
    assertThat(new JsonObject(bad.body()).getString("message")).contains("must start with unix:// or tcp://");
    AdminCurl.Answer notJson = curl(admin, "PUT", "/admin/hosts/h8", "{uri");
    assertThat(notJson.status()).isEqualTo(400);
    assertThat(curl(admin, "GET", "/admin/nothing", null).status()).isEqualTo(404);
  }

  @Test
  void tenantsCertificate_isRefused_andNoCertificateGetsNoAnswer() throws Exception {
    AdminCurl.Answer asTenant = curl(tenant, "GET", "/admin/hosts", null);
    assertThat(asTenant.status()).isEqualTo(403);
    assertThat(new JsonObject(asTenant.body()).getString("message")).contains("admin certificates only");
    assertThat(curl(tenant, "PUT", "/admin/hosts/h7", "{\"uri\": \"tcp://127.0.0.1:9\"}").status()).isEqualTo(403);
    AdminCurl.Answer anonymous = curl(null, "GET", "/admin/hosts", null);
    assertThat(anonymous.status()).as("%s", anonymous).isEqualTo(401);
    assertThat(Files.exists(state.resolve("hosts.json")) ? Files.readString(state.resolve("hosts.json")) : "").doesNotContain("h7");
  }
}
