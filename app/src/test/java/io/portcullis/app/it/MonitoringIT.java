package io.portcullis.app.it;

import static io.portcullis.app.it.Gateway.IMAGE;
import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.app.PortcullisNode;
import io.portcullis.auth.Onboarding;
import io.portcullis.auth.ca.KeyType;
import io.portcullis.auth.ca.Role;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Operations against real peers: a gateway node serves real docker traffic over mutual TLS (a plain
 * run, an interactive session, a refused privileged run, a handshake without a certificate); then
 * Debian's Prometheus, on loopback, scrapes the node's admin port with an admin certificate and
 * evaluates every panel of the Grafana dashboard and every alert rule in {@code k8s/monitoring/}.
 * Any expression that errors, or that names a metric the gateway does not export, fails the test;
 * {@code promtool} checks the rule file and the shipped scrape configuration. The same traffic is then
 * looked up in the audit log.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class MonitoringIT {
  private static final Path MONITORING = Files.isDirectory(Path.of("..", "k8s")) ? Path.of("..", "k8s", "monitoring") : Path.of("k8s", "monitoring");
  /** Grafana's own variables, as Grafana would fill them for a short range. */
  private static final Map<String, String> GRAFANA_VARIABLES = Map.of("$__rate_interval", "1m", "$__interval", "15s");
  /** Series Prometheus makes itself for every target. */
  private static final Set<String> PROMETHEUS_OWN = Set.of("up", "scrape_duration_seconds", "scrape_samples_scraped");
  private static final String SECRET = "hunter2-" + UUID.randomUUID().toString().substring(0, 6);

  static Path state;
  static Path admin;
  static Path tenantBundle;
  static String tenant;
  static int tlsPort;
  static int adminPort;
  static PortcullisNode node;
  static Process prometheus;
  static int prometheusPort;
  static final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    state = Files.createTempDirectory("portcullis-monitoring");
    Onboarding onboarding = new Onboarding(state);
    onboarding.init(List.of("localhost"), List.of("127.0.0.1"));
    admin = state.resolve("bundles").resolve("prometheus");
    onboarding.addTenant("prometheus", Role.ADMIN, admin, KeyType.EC);
    tenant = "mon-" + UUID.randomUUID().toString().substring(0, 6);
    tenantBundle = state.resolve("bundles").resolve(tenant);
    onboarding.addTenant(tenant, Role.TENANT, tenantBundle, KeyType.EC);
    tlsPort = Gateway.freePort();
    adminPort = Gateway.freePort();
    JsonObject config = new JsonObject()
        .put("edge", new JsonObject().put("tlsHost", "127.0.0.1").put("tlsPort", tlsPort).put("instances", 1))
        .put("admin", new JsonObject().put("host", "127.0.0.1").put("port", adminPort))
        .put("auth", new JsonObject().put("stateDir", state.toString()))
        .put("audit", new JsonObject().put("target", "file"))
        .put("registry", new JsonObject().put("healthIntervalMs", 500)
            .put("hosts", new JsonArray().add(new JsonObject().put("name", "local").put("uri", System.getenv("PORTCULLIS_IT_DOCKER_HOST")))))
        .put("cluster", new JsonObject().put("host", "127.0.0.1").put("port", Gateway.freePort()).put("name", "portcullis-mon-" + adminPort));
    node = PortcullisNode.start(config).toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
    serveDockerTraffic();
    prometheus = startPrometheus();
  }

  @AfterAll
  static void stop() throws Exception {
    if (prometheus != null) {
      prometheus.destroy();
      if (!prometheus.waitFor(30, TimeUnit.SECONDS)) {
        prometheus.destroyForcibly();
      }
    }
    if (node != null) {
      node.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  private static DockerCli docker() {
    return new DockerCli("tcp://127.0.0.1:" + tlsPort, Map.of("DOCKER_TLS_VERIFY", "1", "DOCKER_CERT_PATH", tenantBundle.toString()));
  }

  /** What a tenant does in a few seconds: each kind of call the dashboard shows at least once. */
  private static void serveDockerTraffic() throws Exception {
    DockerCli docker = docker();
    assertThat(docker.run("run", "--rm", "--network", "none", "-e", "TOKEN=" + SECRET, IMAGE, "echo", "plain").ok().out()).isEqualTo("plain\n");
    assertThat(docker.runWithInput("through the session\n".getBytes(StandardCharsets.UTF_8),
        "run", "--rm", "-i", "--network", "none", IMAGE, "cat").ok().out()).isEqualTo("through the session\n");
    docker.run("ps", "-a").ok();
    DockerCli.Result refused = docker.run("run", "--rm", "--privileged", "--network", "none", IMAGE, "true");
    assertThat(refused.stderr()).contains("rule privileged");
    // A handshake without a client certificate: refused by the listener.
    Process bare = new ProcessBuilder("curl", "-sk", "https://127.0.0.1:" + tlsPort + "/_ping").redirectErrorStream(true).start();
    bare.getInputStream().readAllBytes();
    assertThat(bare.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(bare.exitValue()).as("no certificate, no answer").isNotZero();
  }

  private static Process startPrometheus() throws Exception {
    Path dir = Files.createTempDirectory("portcullis-prometheus");
    Path config = dir.resolve("prometheus.yml");
    // The shipped scrape job's settings, pointed at this node on loopback every second.
    Files.writeString(config, String.join("\n",
        "global:",
        "  scrape_interval: 1s",
        "  evaluation_interval: 1s",
        "rule_files:",
        "  - " + MONITORING.resolve("alerts.yml").toAbsolutePath(),
        "scrape_configs:",
        "  - job_name: portcullis",
        "    scheme: https",
        "    metrics_path: /metrics",
        "    tls_config:",
        "      ca_file: " + admin.resolve("ca.pem"),
        "      cert_file: " + admin.resolve("cert.pem"),
        "      key_file: " + admin.resolve("key.pem"),
        "      server_name: localhost",
        "    static_configs:",
        "      - targets: ['127.0.0.1:" + adminPort + "']",
        ""));
    prometheusPort = Gateway.freePort();
    Process p = new ProcessBuilder("prometheus", "--config.file=" + config, "--storage.tsdb.path=" + dir.resolve("data"),
        "--web.listen-address=127.0.0.1:" + prometheusPort)
        .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (true) {
      assertThat(p.isAlive()).as("prometheus runs; log %s", dir.resolve("prometheus.log")).isTrue();
      JsonObject targets = api("/api/v1/targets");
      JsonArray active = targets == null ? new JsonArray() : targets.getJsonObject("data").getJsonArray("activeTargets");
      // Three scrapes at least, so that rates over the window have samples to work with.
      if (!active.isEmpty() && "up".equals(active.getJsonObject(0).getString("health"))) {
        Thread.sleep(3500);
        return p;
      }
      assertThat(System.nanoTime()).as("prometheus scraped the node; targets %s; log %s", active, dir.resolve("prometheus.log"))
          .isLessThan(deadline);
      Thread.sleep(300);
    }
  }

  /** A Prometheus API answer, or null while it does not answer. */
  private static JsonObject api(String pathAndQuery) {
    try {
      HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + prometheusPort + pathAndQuery))
          .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
      return new JsonObject(answer.body());
    } catch (Exception e) {
      return null;
    }
  }

  private static JsonObject query(String expr) {
    return api("/api/v1/query?query=" + URLEncoder.encode(expr, StandardCharsets.UTF_8));
  }

  /** Every expression of the dashboard's panels, with Grafana's variables filled in. */
  static List<String> dashboardExpressions() throws Exception {
    JsonObject dashboard = new JsonObject(Files.readString(MONITORING.resolve("grafana-dashboard.json")));
    List<String> exprs = new ArrayList<>();
    for (Object p : dashboard.getJsonArray("panels")) {
      JsonArray targets = ((JsonObject) p).getJsonArray("targets");
      if (targets != null) {
        for (Object t : targets) {
          String expr = ((JsonObject) t).getString("expr");
          for (Map.Entry<String, String> v : GRAFANA_VARIABLES.entrySet()) {
            expr = expr.replace(v.getKey(), v.getValue());
          }
          exprs.add(expr);
        }
      }
    }
    return exprs;
  }

  /** Every alert rule's expression, as Prometheus loaded the rule file. */
  static List<String> ruleExpressions() {
    List<String> exprs = new ArrayList<>();
    for (Object g : api("/api/v1/rules").getJsonObject("data").getJsonArray("groups")) {
      for (Object r : ((JsonObject) g).getJsonArray("rules")) {
        exprs.add(((JsonObject) r).getString("query"));
      }
    }
    return exprs;
  }

  private static final Pattern STRINGS = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"");
  private static final Pattern MATCHERS = Pattern.compile("\\{[^}]*}");
  private static final Pattern RANGES = Pattern.compile("\\[[^]]*]");
  private static final Pattern LABEL_LISTS = Pattern.compile("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
  private static final Pattern IDENTIFIER = Pattern.compile("(?<![\\w.])([a-zA-Z_:][a-zA-Z0-9_:]*)(\\s*\\()?");
  private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "offset", "bool", "inf", "nan");

  /** The metric names a PromQL expression reads (functions, keywords, labels and durations left out). */
  static Set<String> metricNames(String expr) {
    String bare = LABEL_LISTS.matcher(RANGES.matcher(MATCHERS.matcher(STRINGS.matcher(expr).replaceAll("\"\""))
        .replaceAll(" ")).replaceAll(" ")).replaceAll(" ");
    Set<String> names = new LinkedHashSet<>();
    Matcher m = IDENTIFIER.matcher(bare);
    while (m.find()) {
      if (m.group(2) == null && !KEYWORDS.contains(m.group(1).toLowerCase())) {
        names.add(m.group(1));
      }
    }
    return names;
  }

  @Test
  void metricNamesAreFoundInPromQl() {
    assertThat(metricNames("histogram_quantile(0.99, sum by (le, family) (rate(portcullis_request_duration_seconds_bucket{a=\"b\"}[1m])))"))
        .containsExactly("portcullis_request_duration_seconds_bucket");
    assertThat(metricNames("sum(rate(x_total{s=\"5xx\"}[5m])) / clamp_min(sum(rate(y_total[5m])), 1e-9) > 0.05 and on (i) up offset 5m"))
        .containsExactly("x_total", "y_total", "up");
  }

  @Test
  void everyDashboardPanelAndAlertRule_evaluatesOnARealPrometheus_overMetricsTheGatewayExports() throws Exception {
    Set<String> exported = new LinkedHashSet<>();
    api("/api/v1/label/__name__/values").getJsonArray("data").forEach(n -> exported.add((String) n));
    assertThat(exported).as("scraped from the node").contains("portcullis_requests_total", "jvm_memory_used_bytes");

    List<String> panels = dashboardExpressions();
    List<String> rules = ruleExpressions();
    assertThat(panels).as("dashboard panels").hasSizeGreaterThan(20);
    assertThat(rules).as("alert rules loaded by Prometheus").hasSize(10);
    List<String> failures = new ArrayList<>();
    for (String expr : concat(panels, rules)) {
      JsonObject answer = query(expr);
      if (answer == null || !"success".equals(answer.getString("status"))) {
        failures.add(expr + " → " + (answer == null ? "no answer" : answer.getString("error")));
      }
      for (String name : metricNames(expr)) {
        if (!exported.contains(name) && !PROMETHEUS_OWN.contains(name)) {
          failures.add(expr + " → names " + name + ", which the gateway does not export");
        }
      }
    }
    assertThat(failures).isEmpty();

    // The traffic shows in the expressions the dashboard plots.
    assertThat(query("sum by (family) (portcullis_requests_total)").getJsonObject("data").getJsonArray("result").encode())
        .contains("containers.create", "containers.attach");
    // Counters are the process's: other nodes of the test JVM may have counted before this one.
    assertThat(query("portcullis_policy_refusals_total{rule=\"privileged\"} > 0").getJsonObject("data").getJsonArray("result")).isNotEmpty();
    assertThat(query("portcullis_tls_handshakes_total{outcome=\"failed\"} > 0").getJsonObject("data").getJsonArray("result")).isNotEmpty();
    assertThat(query("portcullis_spliced_bytes_total{direction=\"to_backend\"} > 0").getJsonObject("data").getJsonArray("result")).isNotEmpty();
    assertThat(query("portcullis_backend_up{host=\"local\"}").getJsonObject("data").getJsonArray("result")
        .getJsonObject(0).getJsonArray("value").getString(1)).isEqualTo("1");
    // Rules were evaluated without error.
    for (Object g : api("/api/v1/rules").getJsonObject("data").getJsonArray("groups")) {
      for (Object r : ((JsonObject) g).getJsonArray("rules")) {
        JsonObject rule = (JsonObject) r;
        assertThat(rule.getString("health")).as("rule %s: %s", rule.getString("name"), rule.getString("lastError")).isIn("ok", "unknown");
      }
    }
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  @Test
  void promtool_acceptsTheRuleFile_andTheShippedScrapeConfiguration() throws Exception {
    assertThat(run("promtool", "check", "rules", MONITORING.resolve("alerts.yml").toString())).contains("SUCCESS: 10 rules found");
    // The shipped file with the certificate paths of a real bundle (promtool checks that they exist).
    Path dir = Files.createTempDirectory("portcullis-promtool");
    Files.copy(MONITORING.resolve("alerts.yml"), dir.resolve("alerts.yml"));
    Files.writeString(dir.resolve("prometheus.yml"), Files.readString(MONITORING.resolve("prometheus.yml"))
        .replace("/etc/prometheus/portcullis/", admin.toString() + "/"));
    assertThat(run("promtool", "check", "config", dir.resolve("prometheus.yml").toString())).contains("SUCCESS");
  }

  private static String run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(String.join(" ", command) + ": " + out).isZero();
    return out;
  }

  @Test
  void theAuditLog_hasALinePerCallAndPerSession_withoutBodiesOrSecrets() throws Exception {
    Path log = state.resolve("audit.log");
    List<JsonObject> lines = new ArrayList<>();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    // Written by the audit thread: the last call's line may still be on its way.
    while (lines.stream().noneMatch(l -> "privileged".equals(l.getString("rule")))) {
      assertThat(System.nanoTime()).as("the refused call's line in %s", log).isLessThan(deadline);
      Thread.sleep(100);
      lines.clear();
      if (Files.exists(log)) {
        Files.readAllLines(log).forEach(l -> lines.add(new JsonObject(l)));
      }
    }
    String all = Files.readString(log);
    assertThat(all).as("no request body or environment value").doesNotContain(SECRET).doesNotContain("BEGIN");
    JsonObject refused = lines.stream().filter(l -> "privileged".equals(l.getString("rule"))).findFirst().orElseThrow();
    assertThat(refused.getString("tenant")).isEqualTo(tenant);
    assertThat(refused.getString("fingerprint")).hasSize(64);
    assertThat(refused.getString("outcome")).isEqualTo("refused");
    assertThat(refused.getInteger("status")).isEqualTo(403);
    assertThat(refused.getString("endpoint")).isEqualTo("containers.create");
    assertThat(refused.getString("requestId")).isNotBlank();
    assertThat(refused.getString("node")).isNotBlank();
    assertThat(refused.getString("time")).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");

    JsonObject created = lines.stream().filter(l -> "containers.create".equals(l.getString("endpoint"))
        && "forwarded".equals(l.getString("outcome"))).findFirst().orElseThrow();
    assertThat(created.getInteger("status")).isEqualTo(201);
    assertThat(created.getString("host")).isEqualTo("local");
    assertThat(created.getLong("bytesIn")).as("the create body's size, not its content").isPositive();

    // Two sessions: the plain run's attach (output only) and the interactive one (stdin and output).
    List<JsonObject> opened = lines.stream().filter(l -> "session-open".equals(l.getString("event"))).toList();
    assertThat(opened).hasSize(2).allSatisfy(o -> {
      assertThat(o.getString("endpoint")).isEqualTo("containers.attach");
      assertThat(o.getString("outcome")).isNull();
    });
    List<JsonObject> closed = lines.stream().filter(l -> "session-close".equals(l.getString("event"))).toList();
    assertThat(closed).extracting(c -> c.getString("requestId"))
        .containsExactlyInAnyOrderElementsOf(opened.stream().map(o -> o.getString("requestId")).toList());
    int echoed = "through the session\n".length();
    assertThat(closed).as("the interactive session's bytes, each way")
        .anySatisfy(c -> {
          assertThat(c.getLong("bytesIn")).isGreaterThanOrEqualTo(echoed);
          assertThat(c.getLong("bytesOut")).isGreaterThanOrEqualTo(echoed);
        });
    assertThat(lines.stream().filter(l -> "call".equals(l.getString("event"))).map(l -> l.getString("requestId")).distinct().count())
        .as("one line per call").isEqualTo(lines.stream().filter(l -> "call".equals(l.getString("event"))).count());
  }
}
