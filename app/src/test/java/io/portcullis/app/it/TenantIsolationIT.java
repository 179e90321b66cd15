package io.portcullis.app.it;

import static io.portcullis.app.it.Gateway.IMAGE;
import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.app.it.DockerCli.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Two tenants on one backend, each with the docker CLI over mutual TLS: per-tenant names, networks,
 * images, prune, info and df, events, quotas and a per-tenant rule, all as a user would meet them.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class TenantIsolationIT {
  static final String LABEL = "portcullis-it=isolation";
  static Gateway gateway;
  /** Tenant "it". */
  static DockerCli a;
  /** Tenant "iso-b". */
  static DockerCli b;

  @BeforeAll
  static void start() {
    gateway = Gateway.shared();
    a = gateway.tlsCli();
    b = gateway.newTenantCli("iso-b");
  }

  @AfterAll
  static void cleanUp() {
    gateway.removeContainersLabelled(LABEL);
  }

  @Test
  void anIdPrefix_isResolvedAmongTheTenantsOwnContainers_neverDecidedByAnotherTenants() {
    // Two new tenants, so that no other test's containers share the prefixes.
    String run = java.util.UUID.randomUUID().toString().substring(0, 6);
    DockerCli a = gateway.newTenantCli("pfx-a-" + run);
    DockerCli b = gateway.newTenantCli("pfx-b-" + run);
    // Bob's containers first (16 cover about ten first digits), then Alice's until one of hers starts
    // with a digit one of Bob's starts with (those that do not are removed: hers must stay unique).
    java.util.Map<Character, String> bobsByDigit = new java.util.HashMap<>();
    for (int i = 0; i < 16; i++) {
      String id = b.run("create", "--network", "none", "--label", LABEL, IMAGE, "true").ok().out().trim();
      bobsByDigit.putIfAbsent(id.charAt(0), id);
    }
    String mine = null;
    for (int i = 0; i < 40 && mine == null; i++) {
      String id = a.run("create", "--network", "none", "--label", LABEL, IMAGE, "true").ok().out().trim();
      if (bobsByDigit.containsKey(id.charAt(0))) {
        mine = id;
      } else {
        a.run("rm", id).ok();
      }
    }
    assertThat(mine).as("a container of alice's sharing a first digit with one of bob's").isNotNull();
    String prefix = mine.substring(0, 1);
    String bobs = bobsByDigit.get(mine.charAt(0));
    assertThat(bobs).as("a container of bob's with prefix %s", prefix).isNotNull();
    assertThat(a.run("inspect", "--type", "container", "-f", "{{.Id}}", prefix).ok().out().trim()).as("bob's container does not make it ambiguous").isEqualTo(mine);
    a.run("rm", prefix).ok();
    assertThat(b.run("inspect", "-f", "{{.Id}}", bobs).ok().out().trim()).as("bob's is still there").isEqualTo(bobs);
    // Two of Alice's own with one first digit: Docker's answer.
    java.util.Map<Character, String> byDigit = new java.util.HashMap<>();
    String twin = null;
    for (int i = 0; i < 17 && twin == null; i++) {
      String id = a.run("create", "--network", "none", "--label", LABEL, IMAGE, "true").ok().out().trim();
      String earlier = byDigit.putIfAbsent(id.charAt(0), id);
      if (earlier != null) {
        twin = id.substring(0, 1);
      }
    }
    assertThat(twin).isNotNull();
    Result ambiguous = a.run("inspect", "--type", "container", twin);
    assertThat(ambiguous.exitCode()).isNotZero();
    assertThat(ambiguous.stderr()).contains("multiple IDs found with provided prefix: " + twin);
  }

  @Test
  void twoTenants_eachRunAContainerCalledWeb_andEachSeesAndUsesOnlyItsOwn() {
    String web = "web-" + Gateway.uniqueName();
    a.run("run", "-d", "--network", "none", "--label", LABEL, "--name", web, IMAGE, "sh", "-c", "echo from-a; sleep 120").ok();
    b.run("run", "-d", "--network", "none", "--label", LABEL, "--name", web, IMAGE, "sh", "-c", "echo from-b; sleep 120").ok();

    assertThat(a.run("ps", "--format", "{{.Names}}").ok().out()).contains(web).doesNotContain("it." + web);
    assertThat(b.run("ps", "--format", "{{.Names}}").ok().out()).contains(web).doesNotContain("iso-b.");
    assertThat(a.run("logs", web).ok().out()).isEqualTo("from-a\n");
    assertThat(b.run("logs", web).ok().out()).isEqualTo("from-b\n");
    assertThat(a.run("exec", web, "echo", "exec-a").ok().out()).isEqualTo("exec-a\n");
    assertThat(a.run("inspect", "--format", "{{index .Config.Cmd 2}}", web).ok().out()).contains("from-a");
    assertThat(b.run("inspect", "--format", "{{.Name}}", web).ok().out().trim()).isEqualTo("/" + web);
    assertThat(gateway.direct().run("ps", "--format", "{{.Names}}").ok().out()).contains("it." + web, "iso-b." + web);

    b.run("rename", web, web + "-renamed").ok();
    assertThat(b.run("ps", "--format", "{{.Names}}").ok().out()).contains(web + "-renamed");
    assertThat(gateway.direct().run("ps", "--format", "{{.Names}}").ok().out()).contains("iso-b." + web + "-renamed");

    a.run("rm", "-f", web).ok();
    assertThat(b.run("inspect", "--format", "{{.State.Running}}", web + "-renamed").ok().out().trim()).isEqualTo("true");
    Result gone = a.run("logs", web);
    assertThat(gone.exitCode()).isNotZero();
    assertThat(gone.stderr()).contains("No such container");
  }

  @Test
  void networks_areEachTenantsOwn_underTheSameName() {
    String net = "net-" + Gateway.uniqueName();
    try {
      String idA = a.run("network", "create", net).ok().out().trim();
      b.run("network", "create", net).ok();
      assertThat(a.run("network", "ls", "--format", "{{.Name}}").ok().out().lines()).containsOnlyOnce(net);
      assertThat(b.run("network", "ls", "--format", "{{.ID}}").ok().out()).doesNotContain(idA.substring(0, 12));
      assertThat(a.run("run", "--rm", "--label", LABEL, "--network", net, IMAGE, "echo", "on-net").ok().out()).isEqualTo("on-net\n");
      assertThat(a.run("network", "inspect", "--format", "{{.Name}}", net).ok().out().trim()).isEqualTo(net);

      for (String[] call : new String[][] {{"network", "inspect", idA}, {"network", "rm", idA}}) {
        Result r = b.run(call);
        assertThat(r.exitCode()).as("%s", r).isNotZero();
        assertThat(r.stderr()).containsIgnoringCase("not found");
      }
      String c = Gateway.uniqueName();
      b.run("create", "--label", LABEL, "--name", c, "--network", "none", IMAGE, "true").ok();
      Result connect = b.run("network", "connect", idA, c);
      assertThat(connect.exitCode()).isNotZero();
      assertThat(connect.stderr()).containsIgnoringCase("not found");
      Result runOnOthers = b.run("run", "--rm", "--label", LABEL, "--network", "it." + net, IMAGE, "true");
      assertThat(runOnOthers.exitCode()).isNotZero();
      assertThat(runOnOthers.stderr()).contains("not found").doesNotContain("Unable to find image");
      a.run("network", "rm", net).ok();
      assertThat(b.run("network", "ls", "--format", "{{.Name}}").ok().out().lines()).containsOnlyOnce(net);
    } finally {
      gateway.direct().run("network", "rm", "it." + net, "iso-b." + net);
    }
  }

  @Test
  void images_sharedOnesAreUsableByAll_ownOnesVisibleAndRemovableOnlyByTheirOwner() {
    String c = Gateway.uniqueName();
    String image = "portcullis-it-commit-" + Gateway.uniqueName() + ":1";
    try {
      a.run("create", "--label", LABEL, "--name", c, "--network", "none", IMAGE, "true").ok();
      a.run("commit", c, image).ok();
      assertThat(a.run("images", "--format", "{{.Repository}}:{{.Tag}}").ok().out()).contains(image, IMAGE);
      assertThat(b.run("images", "--format", "{{.Repository}}:{{.Tag}}").ok().out()).contains(IMAGE).doesNotContain(image);
      for (String[] call : new String[][] {{"image", "inspect", image}, {"rmi", image}, {"tag", image, "stolen:1"}}) {
        Result r = b.run(call);
        assertThat(r.exitCode()).as("%s", r).isNotZero();
        assertThat(r.stderr()).containsIgnoringCase("No such image");
      }
      // Nor run it, nor pull over its name (a pull moves the tag to what the registry has).
      Result runOthers = b.run("create", "--label", LABEL, "--network", "none", image, "true");
      assertThat(runOthers.exitCode()).isNotZero();
      assertThat(runOthers.stderr()).containsAnyOf("No such image", "choose another name");
      Result pullOver = b.run("pull", image);
      assertThat(pullOver.exitCode()).isNotZero();
      assertThat(pullOver.stderr()).contains("choose another name");
      assertThat(a.run("image", "inspect", "--format", "{{index .Config.Labels \"io.portcullis.tenant\"}}", image).ok().out().trim())
          .isEqualTo("it");
      Result commitOthers = b.run("commit", c, "stolen:2");
      assertThat(commitOthers.exitCode()).isNotZero();
      assertThat(commitOthers.stderr()).contains("No such container");

      Result retagShared = b.run("tag", IMAGE, "mine:1");
      assertThat(retagShared.exitCode()).isNotZero();
      assertThat(retagShared.stderr()).contains("shared by every tenant");
      Result removeShared = b.run("rmi", IMAGE);
      assertThat(removeShared.exitCode()).isNotZero();
      assertThat(removeShared.stderr()).contains("shared by every tenant");
      // No tenant can point a shared name at an image of its own.
      Result hijack = a.run("tag", image, IMAGE);
      assertThat(hijack.exitCode()).isNotZero();
      assertThat(hijack.stderr()).contains("choose another name");

      a.run("rmi", image).ok();
    } finally {
      gateway.direct().run("rmi", "-f", image);
    }
  }

  @Test
  void build_parametersAreChecked_andABuildCannotTakeASharedName(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
    // The build's steps run with the tenant's default memory limit (cgroup v1 or v2 path).
    Files.writeString(dir.resolve("Dockerfile"), "FROM " + IMAGE + "\nRUN (cat /sys/fs/cgroup/memory/memory.limit_in_bytes"
        + " 2>/dev/null || cat /sys/fs/cgroup/memory.max) > /built\n");
    Result hostNet = a.run(null, null, Duration.ofSeconds(120), Map.of("DOCKER_BUILDKIT", "0"),
        "build", "--network", "host", "-t", "portcullis-it-hostnet:1", dir.toString());
    assertThat(hostNet.exitCode()).isNotZero();
    assertThat(hostNet.stderr()).contains("rule host-namespaces");
    Result sharedName = a.run(null, null, Duration.ofSeconds(120), Map.of("DOCKER_BUILDKIT", "0"),
        "build", "-t", IMAGE, dir.toString());
    assertThat(sharedName.exitCode()).isNotZero();
    assertThat(sharedName.stderr()).contains("choose another name");
    // The CLI downloads a URL context itself; an API client can ask the daemon to fetch one.
    try (var client = TlsClient.connect(gateway.tenantBundle, gateway.tlsPort)) {
      String[] remote = TlsClient.call(client, "POST", "/v1.41/build?remote=http%3A%2F%2F127.0.0.1%3A9%2Fc.tar&t=x", "");
      assertThat(remote[0]).startsWith("HTTP/1.1 403");
      assertThat(remote[1]).contains("rule remote-fetch");
    }
    String built = "portcullis-it-built-" + Gateway.uniqueName() + ":1";
    try {
      a.run(null, null, Duration.ofSeconds(120), Map.of("DOCKER_BUILDKIT", "0"), "build", "-t", built, dir.toString()).ok();
      assertThat(a.run("image", "inspect", "--format", "{{index .Config.Labels \"io.portcullis.tenant\"}}", built).ok().out().trim())
          .isEqualTo("it");
      assertThat(b.run("images", "--format", "{{.Repository}}:{{.Tag}}").ok().out()).doesNotContain(built);
      assertThat(a.run("run", "--rm", "--label", LABEL, "--network", "none", built, "cat", "/built").ok().out().trim())
          .isEqualTo(Long.toString(1L << 30));
    } finally {
      gateway.direct().run("rmi", "-f", built);
    }
  }

  @Test
  void prune_removesOnlyTheTenantsOwnObjects() {
    String ca = Gateway.uniqueName();
    String cb = Gateway.uniqueName();
    a.run("create", "--label", LABEL, "--name", ca, "--network", "none", IMAGE, "true").ok();
    b.run("create", "--label", LABEL, "--name", cb, "--network", "none", IMAGE, "true").ok();
    b.run("container", "prune", "-f").ok();
    assertThat(b.run("ps", "-a", "--format", "{{.Names}}").ok().out()).doesNotContain(cb);
    assertThat(a.run("ps", "-a", "--format", "{{.Names}}").ok().out()).contains(ca);
  }

  @Test
  void infoAndDf_showTheTenantsOwnCounts_andNoHostDetails() {
    DockerCli fresh = gateway.newTenantCli("iso-fresh");
    a.run("create", "--label", LABEL, "--network", "none", IMAGE, "true").ok();
    String info = fresh.run("info", "--format", "{{.Containers}} {{.Name}} [{{.DockerRootDir}}] {{len .Warnings}}").ok().out().trim();
    assertThat(info).isEqualTo("0 portcullis [] 0");
    assertThat(a.run("info", "--format", "{{.Containers}}").ok().out().trim()).isNotEqualTo("0");
    String df = fresh.run("system", "df", "--format", "{{.Type}} {{.TotalCount}}").ok().out();
    assertThat(df).contains("Containers 0").contains("Local Volumes 0").contains("Build Cache 0");
  }

  @Test
  void events_showTheTenantsOwnNames_andNotOtherTenantsObjects() {
    String mine = Gateway.uniqueName();
    String theirs = Gateway.uniqueName();
    long since = System.currentTimeMillis() / 1000 - 1;
    a.run("create", "--label", LABEL, "--name", mine, "--network", "none", IMAGE, "true").ok();
    b.run("create", "--label", LABEL, "--name", theirs, "--network", "none", IMAGE, "true").ok();
    long until = System.currentTimeMillis() / 1000 + 1;
    String events = a.run("events", "--since", Long.toString(since), "--until", Long.toString(until),
        "--format", "{{.Type}} {{.Action}} {{.Actor.Attributes.name}}").ok().out();
    assertThat(events).contains("container create " + mine).doesNotContain("it." + mine).doesNotContain(theirs);
  }

  @Test
  void quotas_setDefaultLimits_refuseHigherOnes_andCapTheNumberOfContainers() {
    DockerCli q = gateway.newTenantCli(Gateway.QUOTA_TENANT);
    q.run("rm", "-f", "q1", "q2", "q3");
    q.run("create", "--label", LABEL, "--name", "q1", "--network", "none", IMAGE, "true").ok();
    assertThat(q.run("inspect", "--format", "{{.HostConfig.Memory}} {{.HostConfig.NanoCpus}} {{.HostConfig.PidsLimit}}", "q1")
        .ok().out().trim()).isEqualTo((64 << 20) + " 250000000 50");
    for (String[] option : new String[][] {{"--memory", "1g", "maxMemoryBytes"}, {"--cpus", "1", "maxCpus"},
        {"--pids-limit", "1000", "maxPids"}}) {
      Result r = q.run("create", "--label", LABEL, "--network", "none", option[0], option[1], IMAGE, "true");
      assertThat(r.exitCode()).isNotZero();
      assertThat(r.stderr()).contains("quota " + option[2]);
    }
    Result update = q.run("update", "--memory", "1g", "--memory-swap", "2g", "q1");
    assertThat(update.exitCode()).isNotZero();
    assertThat(update.stderr()).contains("quota maxMemoryBytes");
    q.run("create", "--label", LABEL, "--name", "q2", "--network", "none", "--memory", "128m", IMAGE, "true").ok();
    Result third = q.run("create", "--label", LABEL, "--name", "q3", "--network", "none", IMAGE, "true");
    assertThat(third.exitCode()).isNotZero();
    assertThat(third.stderr()).contains("container quota reached").doesNotContain("Unable to find image");
    q.run("rm", "q2").ok();
    q.run("create", "--label", LABEL, "--name", "q3", "--network", "none", IMAGE, "true").ok();
  }

  @Test
  void parallelCreates_cannotPassTheContainerQuotaTogether() throws Exception {
    DockerCli race = gateway.newTenantCli("quota-race");
    var pool = java.util.concurrent.Executors.newFixedThreadPool(12);
    try {
      List<java.util.concurrent.Future<Result>> creates = new java.util.ArrayList<>();
      for (int i = 0; i < 12; i++) {
        creates.add(pool.submit(() -> race.run("create", "--label", LABEL, "--network", "none", IMAGE, "true")));
      }
      int created = 0;
      for (var f : creates) {
        Result r = f.get(120, TimeUnit.SECONDS);
        if (r.exitCode() == 0) {
          created++;
        } else {
          assertThat(r.stderr()).contains("container quota reached");
        }
      }
      assertThat(created).as("creates that passed a quota of 3, out of 12 at once").isEqualTo(3);
      assertThat(race.run("ps", "-aq").ok().out().trim().split("\\s+")).hasSize(3);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aTenantWithTheRuleOpened_mayCreatePrivileged_othersMayNot() {
    DockerCli trusted = gateway.newTenantCli(Gateway.TRUSTED_TENANT);
    // Created, not run: this sandbox's own limits stop runc from applying every capability.
    String id = trusted.run("create", "--label", LABEL, "--network", "none", "--privileged", IMAGE, "true").ok().out().trim();
    assertThat(trusted.run("inspect", "--format", "{{.HostConfig.Privileged}}", id).ok().out().trim()).isEqualTo("true");
    Result refused = a.run("run", "--rm", "--label", LABEL, "--network", "none", "--privileged", IMAGE, "true");
    assertThat(refused.exitCode()).isNotZero();
    assertThat(refused.stderr()).contains("rule privileged");
  }
}
