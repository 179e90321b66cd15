package io.portcullis.app.it;

import static io.portcullis.app.it.Gateway.IMAGE;
import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.app.PortcullisNode;
import io.portcullis.app.it.DockerCli.Result;
import io.portcullis.contracts.BackendHost;
import io.portcullis.contracts.LocateRequest;
import io.portcullis.contracts.Located;
import io.portcullis.contracts.ObjectKind;
import io.portcullis.contracts.RegistryClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * One tenant, three real daemons behind one gateway node: the suite's dockerd as h1, and two more this
 * class starts for itself (h2, h3; h3 is killed by the last test). What the tenant sees is checked with
 * the docker CLI through the gateway; where things landed is checked on each daemon directly.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class MultiHostIT {
  static final String TENANT = "mh-" + UUID.randomUUID().toString().substring(0, 8);
  static final Path SCRIPTS = Files.isDirectory(Path.of("..", "scripts")) ? Path.of("..", "scripts") : Path.of("scripts");

  static Path work;
  static final Map<String, String> hosts = new LinkedHashMap<>();
  static final List<Path> ownDaemons = new ArrayList<>();
  static PortcullisNode node;
  static JsonObject config;
  static DockerCli docker;
  static int port;

  @BeforeAll
  static void start() throws Exception {
    String h1 = System.getenv("PORTCULLIS_IT_DOCKER_HOST");
    if (h1 == null || h1.isBlank()) {
      throw new IllegalStateException("PORTCULLIS_IT_DOCKER_HOST is not set: run the suite with scripts/test.sh");
    }
    work = Files.createTempDirectory("portcullis-mh");
    hosts.put("h1", h1);
    hosts.put("h2", startDaemon(work.resolve("h2")));
    ownDaemons.add(work.resolve("h2"));
    hosts.put("h3", startDaemon(work.resolve("h3")));
    ownDaemons.add(work.resolve("h3"));
    Path state = work.resolve("state");
    Files.createDirectories(state);
    new io.portcullis.auth.Onboarding(state).init(List.of("localhost"), List.of("127.0.0.1"));
    port = Gateway.freePort();
    JsonArray configured = new JsonArray();
    hosts.forEach((name, uri) -> configured.add(new JsonObject().put("name", name).put("uri", uri).put("labels",
        new JsonObject().put("disk", name.equals("h3") ? "ssd" : "hdd"))));
    config = new JsonObject()
        .put("edge", new JsonObject().put("plaintextHost", "127.0.0.1").put("plaintextPort", port).put("tlsPort", -1)
            .put("routeCacheMs", 200))
        .put("auth", new JsonObject().put("plaintextTenant", TENANT).put("stateDir", state.toString()))
        .put("registry", new JsonObject().put("hosts", configured).put("healthIntervalMs", 300)
            .put("healthTimeoutMs", 300).put("healthFailuresBeforeDown", 2))
        .put("cluster", new JsonObject().put("host", "127.0.0.1").put("port", Gateway.freePort()).put("name", "portcullis-mh-" + port));
    node = startNode();
    docker = new DockerCli("tcp://127.0.0.1:" + port);
  }

  static PortcullisNode startNode() throws Exception {
    PortcullisNode started = PortcullisNode.start(config).toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
    RegistryClient registry = new RegistryClient(started.vertx(), 5000);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (registry.hosts().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).stream()
        .filter(h -> h.state() == BackendHost.HostState.UP).count() < 3) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the three hosts did not come up");
      }
      Thread.sleep(100);
    }
    return started;
  }

  /**
   * A private dockerd by the project's own script (socket + loopback TCP, busybox:local); the caller
   * stops it (dockerd-stop.sh and {@link #stopContainerd}).
   */
  static String startDaemon(Path dir) throws Exception {
    Process p = new ProcessBuilder("bash", SCRIPTS.resolve("dockerd-start.sh").toString(), dir.toString(), String.valueOf(Gateway.freePort()))
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException("dockerd did not start in " + dir + ": " + out);
    }
    return "unix://" + dir.resolve("docker.sock");
  }

  @AfterAll
  static void stop() throws Exception {
    if (node != null) {
      node.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
    if (!hosts.containsKey("h1")) {
      return;
    }
    // Everything of this tenant's on the shared daemon goes; the two private daemons go whole.
    DockerCli h1 = direct("h1");
    for (String kind : List.of("container", "volume", "network")) {
      String ids = h1.run(kind.equals("container") ? new String[] {"ps", "-aq", "--filter", "label=io.portcullis.tenant=" + TENANT}
          : new String[] {kind, "ls", "-q", "--filter", "label=io.portcullis.tenant=" + TENANT}).out();
      for (String id : ids.split("\\s+")) {
        if (!id.isBlank()) {
          h1.run(kind.equals("container") ? new String[] {"rm", "-f", id} : new String[] {kind, "rm", "-f", id});
        }
      }
    }
    h1.run("rmi", "-f", "mh-built:1");
    for (Path dir : ownDaemons) {
      new ProcessBuilder("bash", SCRIPTS.resolve("dockerd-stop.sh").toString(), dir.toString()).inheritIO().start().waitFor(60, TimeUnit.SECONDS);
      stopContainerd(dir);
    }
  }

  /** A dockerd killed with SIGKILL leaves its containerd behind: stopped here by its pid file. */
  static void stopContainerd(Path dir) throws Exception {
    Path pid = dir.resolve("exec").resolve("containerd").resolve("containerd.pid");
    if (Files.exists(pid)) {
      new ProcessBuilder("kill", "-TERM", Files.readString(pid).trim()).start().waitFor(10, TimeUnit.SECONDS);
    }
  }

  static DockerCli direct(String host) {
    return new DockerCli(hosts.get(host));
  }

  /** The host whose daemon holds the tenant's container (by its backend name), or null. */
  static String hostOfContainer(String name) {
    for (String host : hosts.keySet()) {
      if (!direct(host).run("ps", "-aq", "--filter", "name=^/" + TENANT + "." + name + "$").out().isBlank()) {
        return host;
      }
    }
    return null;
  }

  static String name() {
    return "c" + UUID.randomUUID().toString().substring(0, 6);
  }

  @Test
  @Order(1)
  void runDetached_spreadsContainersOverTheHosts_andPsAndEventsShowThemAll() {
    // h1 is the suite's daemon and may hold other tests' containers: spread is predicted from what each
    // host holds now (every tenant's owned containers), the fewest first, ties to the smaller name.
    Map<String, Integer> load = new java.util.TreeMap<>();
    for (String host : hosts.keySet()) {
      load.put(host, (int) direct(host).run("ps", "-aq", "--filter", "label=io.portcullis.tenant").out().lines().filter(l -> !l.isBlank()).count());
    }
    List<String> names = List.of(name(), name(), name(), name());
    List<String> expected = new ArrayList<>();
    List<String> placed = new ArrayList<>();
    String since = java.time.Instant.now().minusMillis(100).toString();
    for (String n : names) {
      String fewest = load.entrySet().stream().min(Map.Entry.<String, Integer>comparingByValue().thenComparing(Map.Entry.comparingByKey()))
          .orElseThrow().getKey();
      expected.add(fewest);
      load.merge(fewest, 1, Integer::sum);
      docker.run("run", "-d", "--name", n, "--network", "none", IMAGE, "sleep", "600").ok();
      placed.add(hostOfContainer(n));
    }
    assertThat(placed).as("spread, from loads %s", load).isEqualTo(expected);
    assertThat(placed.stream().distinct().count()).as("more than one host used").isGreaterThan(1);
    String until = java.time.Instant.now().toString();
    assertThat(docker.run("events", "--since", since, "--until", until, "--filter", "event=create", "--format", "{{.Actor.Attributes.name}}")
        .ok().out().lines().toList()).as("every host's events in time order, with the tenant's names").containsExactlyElementsOf(names);
    String ps = docker.run("ps", "--format", "{{.Names}}").ok().out();
    assertThat(ps.lines().toList()).containsAll(names);
    for (String n : names) {
      docker.run("rm", "-f", n).ok();
    }
  }

  @Test
  @Order(1)
  void mergedAnswers_keepTheConnectionForTheNextRequest_andSystemPruneWorks() throws Exception {
    try (RawConnection raw = new RawConnection(port)) {
      for (String request : List.of("GET /v1.41/containers/json?all=1", "GET /v1.41/volumes", "GET /v1.41/info",
          "GET /v1.41/images/json", "POST /v1.41/containers/prune", "GET /v1.41/system/df", "GET /_ping")) {
        raw.send(request + " HTTP/1.1\r\nHost: gateway\r\nContent-Length: 0\r\n\r\n");
        String head = raw.readHead();
        assertThat(head).as(request).startsWith("HTTP/1.1 200");
        assertThat(RawConnection.header(head, "Api-Version")).as("%s answered as by a daemon", request).isNotNull();
        assertThat(RawConnection.header(head, "Connection")).as(request).isEqualToIgnoringCase("keep-alive");
        raw.readExactly(Integer.parseInt(RawConnection.header(head, "Content-Length")));
      }
    }
    Result prune = docker.run("system", "prune", "-f");
    assertThat(prune.ok().out()).contains("Total reclaimed space");
  }

  @Test
  @Order(2)
  void everyContainersLogsExecAttachCpAndRm_reachItsOwnHost() throws Exception {
    List<String> names = List.of(name(), name(), name());
    List<String> on = List.of("h1", "h2", "h3");
    for (int i = 0; i < names.size(); i++) {
      docker.run("run", "-d", "--name", names.get(i), "--network", "none", "-e", "constraint:node.hostname==" + on.get(i), IMAGE,
          "sh", "-c", "echo log-of-" + names.get(i) + "; sleep 600").ok();
      // A list shows creation to the second: the ps --filter before=/since= checks below need them apart.
      Thread.sleep(1100);
    }
    assertThat(names.stream().map(MultiHostIT::hostOfContainer).toList()).isEqualTo(on);
    List<String> before = docker.run("ps", "--filter", "before=" + names.get(2), "--format", "{{.Names}}").ok().out().lines().toList();
    assertThat(before).as("created before the one on h3").contains(names.get(0), names.get(1)).doesNotContain(names.get(2));
    List<String> since = docker.run("ps", "--filter", "since=" + names.get(0), "--format", "{{.Names}}").ok().out().lines().toList();
    assertThat(since).as("created after the one on h1").contains(names.get(1), names.get(2)).doesNotContain(names.get(0));
    for (String n : names) {
      assertThat(docker.run("logs", n).ok().out()).as("logs of %s", n).contains("log-of-" + n);
      String prefix = docker.run("inspect", "-f", "{{.Id}}", n).ok().out().substring(0, 10);
      assertThat(docker.run("logs", prefix).ok().out()).as("logs of %s by ID prefix", n).contains("log-of-" + n);
      docker.run("exec", n, "sh", "-c", "echo file-of-" + n + " > /tmp/f").ok();
      Path copied = work.resolve("f-" + n);
      docker.run("cp", n + ":/tmp/f", copied.toString()).ok();
      assertThat(Files.readString(copied)).isEqualTo("file-of-" + n + "\n");
      Result attached = docker.runWithInput(("piped-to-" + n + "\n").getBytes(StandardCharsets.UTF_8),
          "exec", "-i", n, "cat");
      assertThat(attached.ok().out()).isEqualTo("piped-to-" + n + "\n");
      docker.run("rm", "-f", n).ok();
      assertThat(hostOfContainer(n)).as("%s removed from its host", n).isNull();
    }
    Result interactive = docker.runWithInput("echo hello-from-stdin\n".getBytes(StandardCharsets.UTF_8),
        "run", "-i", "--rm", "--network", "none", IMAGE, "sh");
    assertThat(interactive.ok().out()).isEqualTo("hello-from-stdin\n");
  }

  @Test
  @Order(3)
  void volumesAndNetworks_pinTheirContainersToTheirHost_andConstraintsChooseOne() {
    String since = java.time.Instant.now().minusMillis(100).toString();
    String volume = "v" + name();
    docker.run("volume", "create", volume).ok();
    String volumeHost = hosts.keySet().stream()
        .filter(h -> !direct(h).run("volume", "ls", "-q", "--filter", "name=" + TENANT + "." + volume).out().isBlank())
        .findFirst().orElseThrow();
    List<String> users = List.of(name(), name(), name());
    for (String n : users) {
      docker.run("run", "-d", "--name", n, "--network", "none", "-v", volume + ":/data", IMAGE, "sleep", "600").ok();
      assertThat(hostOfContainer(n)).as("a container mounting %s goes where it is", volume).isEqualTo(volumeHost);
    }
    docker.run("exec", users.get(0), "sh", "-c", "echo shared > /data/x").ok();
    assertThat(docker.run("exec", users.get(2), "cat", "/data/x").ok().out()).isEqualTo("shared\n");
    for (String n : users) {
      docker.run("rm", "-f", n).ok();
    }
    docker.run("volume", "rm", volume).ok();
    assertThat(docker.run("events", "--since", since, "--until", java.time.Instant.now().toString(), "--filter", "type=volume",
        "--format", "{{.Actor.ID}} {{.Action}}").ok().out().lines().filter(l -> l.startsWith(volume + " ")).toList())
        .as("the tenant's volume events, in its names").contains(volume + " create", volume + " destroy");

    // A volume the first container creates by naming it: the next ones go to the same host at once.
    String auto = "auto" + name();
    List<String> autoUsers = List.of(name(), name(), name());
    for (String n : autoUsers) {
      docker.run("create", "--name", n, "--network", "none", "-v", auto + ":/data", IMAGE, "true").ok();
    }
    assertThat(autoUsers.stream().map(MultiHostIT::hostOfContainer).distinct().count()).as("one volume %s, one host", auto).isEqualTo(1);
    docker.run("rm", autoUsers.get(0), autoUsers.get(1), autoUsers.get(2)).ok();
    docker.run("volume", "rm", auto).ok();

    String network = "n" + name();
    docker.run("network", "create", "--internal", network).ok();
    String onNetwork = name();
    docker.run("run", "-d", "--name", onNetwork, "--network", network, IMAGE, "sleep", "600").ok();
    String networkHost = hosts.keySet().stream()
        .filter(h -> !direct(h).run("network", "ls", "-q", "--filter", "name=" + TENANT + "." + network).out().isBlank())
        .findFirst().orElseThrow();
    assertThat(hostOfContainer(onNetwork)).isEqualTo(networkHost);
    assertThat(docker.run("run", "--rm", "--network", network, IMAGE, "ping", "-c1", "-W2", onNetwork).ok().out())
        .as("the tenant's container names resolve on its network").contains("1 packets received");
    String elsewhere = hosts.keySet().stream().filter(h -> !h.equals(networkHost)).findFirst().orElseThrow();
    String stranger = name();
    docker.run("create", "--name", stranger, "--network", "none", "-e", "constraint:node.hostname==" + elsewhere, IMAGE, "true").ok();
    Result connect = docker.run("network", "connect", network, stranger);
    assertThat(connect.exitCode()).isNotZero();
    assertThat(connect.stderr()).contains("a container joins only networks on its own host");
    docker.run("rm", stranger).ok();
    docker.run("rm", "-f", onNetwork).ok();
    docker.run("network", "rm", network).ok();

    for (int i = 0; i < 2; i++) {
      String constrained = name();
      docker.run("run", "-d", "--name", constrained, "--network", "none", "-e", "constraint:node.labels.disk==ssd", IMAGE, "sleep", "600").ok();
      assertThat(hostOfContainer(constrained)).as("only h3 carries disk=ssd").isEqualTo("h3");
      assertThat(docker.run("inspect", "-f", "{{.Config.Env}}", constrained).ok().out()).doesNotContain("constraint:");
      docker.run("rm", "-f", constrained).ok();
    }
    Result impossible = docker.run("run", "-d", "--network", "none", "-e", "constraint:node.labels.disk==tape", IMAGE, "true");
    assertThat(impossible.exitCode()).isNotZero();
    assertThat(impossible.stderr()).contains("no host satisfies constraint");
  }

  @Test
  @Order(4)
  void buildThenRun_landsOnTheHostThatBuiltTheImage() throws Exception {
    Path context = work.resolve("build");
    Files.createDirectories(context);
    Files.writeString(context.resolve("Dockerfile"), "FROM " + IMAGE + "\nCOPY marker /marker\nCMD [\"cat\", \"/marker\"]\n");
    Files.writeString(context.resolve("marker"), "built-here\n");
    docker.run(null, null, Duration.ofSeconds(120), Map.of("DOCKER_BUILDKIT", "0"), "build", "-t", "mh-built:1", context.toString()).ok();
    List<String> withImage = hosts.keySet().stream()
        .filter(h -> direct(h).run("image", "inspect", "mh-built:1").exitCode() == 0).toList();
    assertThat(withImage).hasSize(1);
    for (int i = 0; i < 3; i++) {
      String n = name();
      Result run = docker.run("run", "--name", n, "--network", "none", "mh-built:1");
      assertThat(run.ok().out()).isEqualTo("built-here\n");
      assertThat(hostOfContainer(n)).isEqualTo(withImage.get(0));
      docker.run("rm", n).ok();
    }
    assertThat(docker.run("images", "--format", "{{.Repository}}:{{.Tag}}").ok().out().lines()
        .filter(l -> l.equals(IMAGE)).count()).as("an image on every host is listed once").isEqualTo(1);
    long rows = docker.run("images", "-q").ok().out().lines().filter(l -> !l.isBlank()).count();
    assertThat(docker.run("info", "--format", "{{.Images}}").ok().out().trim()).as("info counts what images shows").isEqualTo(String.valueOf(rows));
    docker.run("rmi", "mh-built:1").ok();
  }

  @Test
  @Order(4)
  void anotherTenantsImageOnAnotherHost_neitherHidesTheTenantsImageNorLendsItsName() {
    String source = name();
    docker.run("run", "--name", source, "--network", "none", "-e", "constraint:node.hostname==h2", IMAGE, "true").ok();
    docker.run("commit", source, "mh-vis:1").ok();
    // On h1, straight on the daemon: images of the same names owned by another tenant.
    String foreign = "foreign-" + name();
    direct("h1").run("create", "--name", foreign, "--network", "none", IMAGE, "true").ok();
    direct("h1").run("commit", "--change", "LABEL io.portcullis.tenant=intruder", foreign, "mh-vis:1").ok();
    direct("h1").run("commit", "--change", "LABEL io.portcullis.tenant=intruder", foreign, "mh-intruder:1").ok();
    try {
      assertThat(docker.run("image", "inspect", "-f", "{{.Id}}", "mh-vis:1").ok().out()).isNotBlank();
      String runner = name();
      docker.run("run", "--name", runner, "--network", "none", "mh-vis:1", "true").ok();
      assertThat(hostOfContainer(runner)).as("where the tenant's own mh-vis:1 is").isEqualTo("h2");
      docker.run("rm", runner).ok();
      Result taken = docker.run("commit", source, "mh-intruder:1");
      assertThat(taken.exitCode()).as("another tenant's name on another host").isNotZero();
      assertThat(taken.stderr()).contains("belongs to an image you did not build or commit");
      assertThat(direct("h2").run("image", "inspect", "mh-intruder:1").exitCode()).isNotZero();
    } finally {
      direct("h1").run("rm", "-f", foreign);
      direct("h1").run("rmi", "mh-vis:1", "mh-intruder:1");
      docker.run("rm", "-f", source);
      docker.run("rmi", "mh-vis:1");
    }
  }

  @Test
  @Order(4)
  void namesAreOnePerTenantAcrossHosts_asOnOneDaemon() {
    String taken = name();
    docker.run("run", "-d", "--name", taken, "--network", "none", "-e", "constraint:node.hostname==h2", IMAGE, "sleep", "600").ok();
    Result again = docker.run("run", "-d", "--name", taken, "--network", "none", "-e", "constraint:node.hostname==h3", IMAGE, "true");
    assertThat(again.exitCode()).isNotZero();
    assertThat(again.stderr()).contains("Conflict. The container name \"/" + taken + "\" is already in use");
    String other = name();
    docker.run("run", "-d", "--name", other, "--network", "none", "-e", "constraint:node.hostname==h3", IMAGE, "sleep", "600").ok();
    Result rename = docker.run("rename", other, taken);
    assertThat(rename.exitCode()).isNotZero();
    assertThat(rename.stderr()).contains("Conflict. The container name \"/" + taken + "\" is already in use");
    docker.run("rm", "-f", taken, other).ok();

    String volume = "vdup" + name();
    docker.run("volume", "create", volume).ok();
    docker.run("volume", "create", volume).ok();
    docker.run("volume", "create", volume).ok();
    assertThat(docker.run("volume", "ls", "-q").ok().out().lines().filter(volume::equals).count()).as("one volume %s", volume).isEqualTo(1);
    docker.run("volume", "rm", volume).ok();

    String network = "ndup" + name();
    docker.run("network", "create", "--internal", network).ok();
    Result second = docker.run("network", "create", "--internal", network);
    assertThat(second.exitCode()).isNotZero();
    assertThat(second.stderr()).contains("already exists");
    assertThat(docker.run("network", "ls", "-q", "--filter", "name=" + network).ok().out().lines().count()).isEqualTo(1);
    docker.run("network", "rm", network).ok();
  }

  @Test
  @Order(5)
  void drainedHost_takesNoNewContainers_butItsOwnKeepWorking() throws Exception {
    RegistryClient registry = new RegistryClient(node.vertx(), 5000);
    String before = name();
    docker.run("run", "-d", "--name", before, "--network", "none", "-e", "constraint:node.hostname==h2", IMAGE, "sh", "-c", "echo still-here; sleep 600").ok();
    registry.drain("h2", true).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    Thread.sleep(400);
    try {
      List<String> placed = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        String n = name();
        docker.run("run", "-d", "--name", n, "--network", "none", IMAGE, "sleep", "600").ok();
        placed.add(hostOfContainer(n));
        docker.run("rm", "-f", n).ok();
      }
      assertThat(placed).doesNotContain("h2").isNotEmpty();
      assertThat(docker.run("logs", before).ok().out()).contains("still-here");
      assertThat(docker.run("info", "--format", "{{json .SystemStatus}}").ok().out()).contains("\" h2\",\"draining\"");
    } finally {
      registry.drain("h2", false).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
    docker.run("rm", "-f", before).ok();
  }

  @Test
  @Order(6)
  void theObjectIndex_isRebuiltFromOwnerLabels_whenTheGatewayRestarts() throws Exception {
    String kept = name();
    docker.run("run", "-d", "--name", kept, "--network", "none", "-e", "constraint:node.hostname==h3", IMAGE, "sh", "-c", "echo survived; sleep 600").ok();
    node.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    node = startNode();
    RegistryClient registry = new RegistryClient(node.vertx(), 5000);
    Located located = null;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      try {
        located = registry.locate(new LocateRequest(TENANT, ObjectKind.CONTAINER, kept, false))
            .toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        if (located.fromIndex()) {
          break;
        }
      } catch (Exception notYet) {
        // the host's listing is not in yet
      }
      Thread.sleep(100);
    }
    assertThat(located).isNotNull();
    assertThat(located.fromIndex()).as("known from h3's owner labels, not by asking every host").isTrue();
    assertThat(located.host().name()).isEqualTo("h3");
    assertThat(docker.run("logs", kept).ok().out()).contains("survived");
    docker.run("rm", "-f", kept).ok();
  }

  @Test
  @Order(7)
  void pull_goesToEveryHost_orToTheOneNamedInAHeader() throws Exception {
    Path registryDir = work.resolve("registry");
    Files.createDirectories(registryDir);
    int registryPort = Gateway.freePort();
    Files.writeString(registryDir.resolve("config.yml"), String.join("\n", "version: 0.1", "log:", "  level: warn",
        "storage:", "  filesystem:", "    rootdirectory: " + registryDir.resolve("data"), "http:", "  addr: 127.0.0.1:" + registryPort, ""));
    Process registryProcess = new ProcessBuilder("docker-registry", "serve", registryDir.resolve("config.yml").toString())
        .redirectErrorStream(true).redirectOutput(registryDir.resolve("registry.log").toFile()).start();
    try {
      String repo = "127.0.0.1:" + registryPort + "/mh/busybox";
      // The image reaches the registry straight from h1's daemon; the tenant only pulls it.
      Result pushed = null;
      for (int i = 0; i < 50 && (pushed == null || pushed.exitCode() != 0); i++) {
        Thread.sleep(100);
        direct("h1").run("tag", IMAGE, repo + ":1").ok();
        pushed = direct("h1").run(null, null, Duration.ofSeconds(60), Map.of(), "push", repo + ":1");
      }
      assertThat(pushed.exitCode()).as("%s", pushed).isZero();
      direct("h1").run("rmi", repo + ":1").ok();

      Result pull = docker.run(null, null, Duration.ofSeconds(120), Map.of(), "pull", repo + ":1");
      assertThat(pull.ok().out()).contains("Pulling on host h1", "Pulling on host h2", "Pulling on host h3");
      for (String host : hosts.keySet()) {
        assertThat(direct(host).run("image", "inspect", repo + ":1").exitCode()).as("pulled on %s", host).isZero();
        direct(host).run("rmi", repo + ":1").ok();
      }

      Path config = work.resolve("docker-config");
      Files.createDirectories(config);
      Files.writeString(config.resolve("config.json"), "{\"HttpHeaders\": {\"X-Portcullis-Host\": \"h2\"}}");
      Result chosen = docker.run(null, null, Duration.ofSeconds(120), Map.of("DOCKER_CONFIG", config.toString()), "pull", repo + ":1");
      assertThat(chosen.ok().out()).contains("Pulling on host h2").doesNotContain("host h1", "host h3");
      assertThat(hosts.keySet().stream().filter(h -> direct(h).run("image", "inspect", repo + ":1").exitCode() == 0).toList())
          .containsExactly("h2");
      direct("h2").run("rmi", repo + ":1").ok();
    } finally {
      registryProcess.destroy();
      registryProcess.waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Test
  @Order(8)
  void killedHost_turnsDown_itsObjectsAnswer503Quickly_andTheOthersKeepWorking() throws Exception {
    String elsewhere = name();
    docker.run("run", "-d", "--name", elsewhere, "--network", "none", "-e", "constraint:node.hostname!=h3", IMAGE, "sh", "-c", "echo alive; sleep 600").ok();
    // Only a created (not started) container on h3: nothing of it runs on after its daemon dies.
    String doomed = name();
    docker.run("create", "--name", doomed, "--network", "none", "-e", "constraint:node.hostname==h3", IMAGE, "true").ok();
    assertThat(hostOfContainer(doomed)).isEqualTo("h3");

    Path h3 = ownDaemons.get(1);
    new ProcessBuilder("kill", "-KILL", Files.readString(h3.resolve("dockerd.pid")).trim()).start().waitFor(10, TimeUnit.SECONDS);
    RegistryClient registry = new RegistryClient(node.vertx(), 5000);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (registry.hosts().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS).stream()
        .noneMatch(h -> h.name().equals("h3") && h.state() == BackendHost.HostState.DOWN)) {
      assertThat(System.nanoTime()).as("h3 reported down").isLessThan(deadline);
      Thread.sleep(100);
    }
    Thread.sleep(400);

    long started = System.nanoTime();
    Result start = docker.run("start", doomed);
    long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    assertThat(start.exitCode()).isNotZero();
    assertThat(start.stderr()).contains("backend host h3 is unavailable");
    assertThat(tookMs).as("answered at once, not after a timeout").isLessThan(10_000);

    assertThat(docker.run("logs", elsewhere).ok().out()).contains("alive");
    assertThat(docker.run("ps", "--format", "{{.Names}}").ok().out()).contains(elsewhere);
    assertThat(docker.run("info", "--format", "{{json .SystemStatus}}").ok().out()).contains("\" h3\",\"down\"");
    String placedAfter = name();
    docker.run("run", "-d", "--name", placedAfter, "--network", "none", IMAGE, "sleep", "600").ok();
    assertThat(hostOfContainer(placedAfter)).isIn("h1", "h2");
    docker.run("rm", "-f", elsewhere, placedAfter).ok();
  }
}
