package io.portcullis.app.it;

import static io.portcullis.app.it.Gateway.IMAGE;
import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.app.it.DockerCli.Result;
import io.portcullis.auth.ca.KeyType;
import io.portcullis.auth.ca.Role;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Tenant B cannot see or touch tenant A's container: every such call is "No such container". */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class OwnershipIT {
  static final String LABEL = "portcullis-it=ownership";
  static Gateway gateway;
  static DockerCli tenantA;
  static DockerCli tenantB;
  static String name;
  static String id;

  @BeforeAll
  static void start() throws Exception {
    gateway = Gateway.shared();
    Path dir = Files.createTempDirectory("portcullis-it-tenant-b");
    gateway.onboarding().addTenant("tenant-b", Role.TENANT, dir.resolve("b"), KeyType.EC);
    tenantA = gateway.tlsCli();
    tenantB = gateway.tlsCli(dir.resolve("b"));
    name = Gateway.uniqueName();
    id = tenantA.run("run", "-d", "--network", "none", "--label", LABEL, "--name", name, IMAGE, "sh", "-c", "echo secret; sleep 120")
        .ok().out().trim();
  }

  @AfterAll
  static void cleanUp() {
    gateway.removeContainersLabelled(LABEL);
  }

  @Test
  void theOwner_seesAndUsesItsContainer() {
    assertThat(tenantA.run("ps", "--format", "{{.Names}}").ok().out()).contains(name);
    assertThat(tenantA.run("exec", name, "echo", "mine").ok().out()).isEqualTo("mine\n");
    assertThat(tenantA.run("inspect", "--format", "{{.Id}}", id.substring(0, 12)).ok().out().trim()).isEqualTo(id);
  }

  @Test
  void anotherTenant_doesNotSeeItInPs() {
    Result ps = tenantB.run("ps", "-a", "--format", "{{.Names}}").ok();
    assertThat(ps.out()).doesNotContain(name);
  }

  @Test
  void anotherTenant_getsNoSuchContainer_byNameIdAndPrefix_forEveryCall() throws Exception {
    Path file = Files.createTempFile("portcullis-it", ".txt");
    String[][] calls = {
        {"logs", name}, {"logs", id}, {"logs", id.substring(0, 12)},
        {"inspect", "--type", "container", name}, {"exec", name, "echo", "x"}, {"top", name},
        {"cp", name + ":/etc/passwd", file.toString()}, {"cp", file.toString(), name + ":/tmp/x"},
        {"stop", name}, {"kill", name}, {"rm", name}, {"rename", name, "stolen"}, {"pause", name},
        {"export", name}, {"attach", "--no-stdin", name}, {"wait", name}, {"stats", "--no-stream", name},
    };
    for (String[] call : calls) {
      Result r = tenantB.run(call);
      assertThat(r.exitCode()).as("tenant B: docker %s -> %s", String.join(" ", call), r).isNotZero();
      assertThat(r.stderr()).as("docker %s", String.join(" ", call)).containsIgnoringCase("No such container");
    }
    // And after all that, tenant A's container is untouched and still running.
    assertThat(tenantA.run("inspect", "--format", "{{.State.Running}} {{.Name}}", name).ok().out().trim()).isEqualTo("true /" + name);
  }

  @Test
  void anotherTenant_cannotUseAnExecInstanceOfTheOwner_evenKnowingItsId() throws Exception {
    Path bundleA = gateway.tenantBundle;
    Path bundleB = java.nio.file.Files.createTempDirectory("portcullis-it-tenant-b2").resolve("b");
    gateway.onboarding().addTenant("tenant-b", Role.TENANT, bundleB, KeyType.EC);
    String execId;
    try (var a = TlsClient.connect(bundleA, gateway.tlsPort)) {
      String[] created = TlsClient.call(a, "POST", "/v1.41/containers/" + name + "/exec", "{\"Cmd\":[\"echo\",\"x\"]}");
      assertThat(created[0]).as(created[1]).startsWith("HTTP/1.1 201");
      execId = new io.vertx.core.json.JsonObject(created[1]).getString("Id");
    }
    try (var b = TlsClient.connect(bundleB, gateway.tlsPort)) {
      String[] inspect = TlsClient.call(b, "GET", "/v1.41/exec/" + execId + "/json", null);
      assertThat(inspect[0]).startsWith("HTTP/1.1 404");
      assertThat(inspect[1]).contains("No such exec instance");
    }
    try (var b = TlsClient.connect(bundleB, gateway.tlsPort)) {
      String[] start = TlsClient.call(b, "POST", "/v1.41/exec/" + execId + "/start", "{\"Detach\":true}");
      assertThat(start[0]).startsWith("HTTP/1.1 404");
    }
    try (var a = TlsClient.connect(bundleA, gateway.tlsPort)) {
      assertThat(TlsClient.call(a, "GET", "/v1.41/exec/" + execId + "/json", null)[0]).startsWith("HTTP/1.1 200");
    }
  }

  @Test
  void volumes_areTheirCreatorsOnly_andTheSameNameIsEachTenantsOwn() {
    String created = "it-vol-" + Gateway.uniqueName();
    String mounted = "it-vol-" + Gateway.uniqueName();
    try {
      tenantA.run("volume", "create", created).ok();
      tenantA.run("run", "--rm", "--network", "none", "--label", LABEL, "-v", mounted + ":/data", IMAGE,
          "sh", "-c", "echo private > /data/f").ok();
      assertThat(tenantA.run("volume", "ls", "--format", "{{.Name}}").ok().out()).contains(created).contains(mounted);
      assertThat(tenantA.run("run", "--rm", "--network", "none", "--label", LABEL, "-v", mounted + ":/data", IMAGE,
          "cat", "/data/f").ok().out()).isEqualTo("private\n");

      assertThat(tenantB.run("volume", "ls", "--format", "{{.Name}}").ok().out()).doesNotContain(created).doesNotContain(mounted);
      for (String volume : new String[] {created, mounted, "it." + mounted}) {
        Result inspect = tenantB.run("volume", "inspect", volume);
        assertThat(inspect.exitCode()).isNotZero();
        assertThat(inspect.stderr()).contains("No such volume");
        Result rm = tenantB.run("volume", "rm", volume);
        assertThat(rm.exitCode()).isNotZero();
        assertThat(rm.stderr()).contains("No such volume");
      }
      // The same name, mounted by tenant B, is tenant B's own new volume: A's file is not in it.
      Result mount = tenantB.run("run", "--rm", "--network", "none", "--label", LABEL, "-v", mounted + ":/stolen", IMAGE, "cat", "/stolen/f");
      assertThat(mount.exitCode()).as("%s", mount).isNotZero();
      assertThat(mount.stderr()).contains("No such file").doesNotContain("Unable to find image");
      // Even spelling A's backend name out, B reaches only a volume of its own.
      Result viaMounts = tenantB.run("run", "--rm", "--network", "none", "--label", LABEL,
          "--mount", "type=volume,src=it." + mounted + ",dst=/stolen", IMAGE, "cat", "/stolen/f");
      assertThat(viaMounts.exitCode()).isNotZero();
      assertThat(viaMounts.stderr()).contains("No such file");
      assertThat(tenantB.run("volume", "ls", "--format", "{{.Name}}").ok().out()).contains(mounted).doesNotContain(created);
      assertThat(tenantA.run("volume", "inspect", "--format", "{{.Name}}", mounted).ok().out().trim()).isEqualTo(mounted);
      assertThat(gateway.direct().run("volume", "ls", "--format", "{{.Name}}").ok().out())
          .contains("it." + mounted, "tenant-b." + mounted, "tenant-b.it." + mounted);
    } finally {
      gateway.direct().run("volume", "rm", "-f", "it." + created, "it." + mounted, "tenant-b." + mounted, "tenant-b.it." + mounted);
    }
  }

}
