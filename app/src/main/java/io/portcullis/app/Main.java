package io.portcullis.app;

import io.portcullis.contracts.BackendHost;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@code java -jar portcullis.jar [--config FILE]}: starts one gateway node and prints the
 * {@code docker -H ...} line to use it. Exits 1 with one line naming the problem when the
 * configuration is invalid or the node cannot start.
 */
public final class Main {
  /** Held so the level set on it is not lost when the logger is collected. */
  private static final Logger HAZELCAST_LOG = Logger.getLogger("com.hazelcast");

  private static final String USAGE = String.join("\n",
      "usage: java -jar portcullis.jar [--config FILE] [--state DIR] [COMMAND]",
      "  run (default)                                    start the gateway (creates a CA on first start)",
      "  init [--name DNS]... [--ip IP]...                create the CA and the server certificate",
      "  server-cert [--name DNS]... [--ip IP]...         re-issue the server certificate",
      "  tenant add NAME [--out DIR] [--admin] [--key-type ec|rsa|ed25519]   (no --out: register for a CSR)",
      "  tenant list | tenant remove NAME",
      "  key add TENANT FILE [--comment TEXT] | key remove TENANT FINGERPRINT | key list TENANT",
      "  sign-csr --tenant NAME --csr FILE --out FILE [--admin]",
      "  revoke SERIAL",
      "  host add NAME URI [--label KEY=VALUE]... [--capacity N] | host drain|undrain|remove NAME | host list",
      "  session list | session end ID                    (needs --admin: sessions live in the running gateways)",
      "tenant, key, revoke, host and session take --admin https://HOST:2377 --cert-path DIR (an admin bundle) to act",
      "through a running gateway's admin API, and --json to print its raw JSON answer instead of a table.",
      "Configuration: see README (every key, with its environment variable).");

  private Main() {}

  public static void main(String[] args) throws Exception {
    System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tFT%1$tT.%1$tL %4$s %3$s: %5$s%6$s%n");
    HAZELCAST_LOG.setLevel(Level.WARNING);
    String configFile = null;
    String stateDir = null;
    List<String> command = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--config") && i + 1 < args.length) {
        configFile = args[++i];
      } else if (args[i].equals("--state") && i + 1 < args.length) {
        stateDir = args[++i];
      } else if (args[i].equals("--help") || args[i].equals("-h")) {
        System.out.println(USAGE);
        return;
      } else {
        command.add(args[i]);
      }
    }
    if (command.isEmpty()) {
      command.add("run");
    }
    JsonObject config;
    Vertx bootstrap = Vertx.vertx();
    try {
      config = ConfigLoader.load(bootstrap, configFile, System.getenv()).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      if (stateDir != null) {
        config.getJsonObject("auth").put("stateDir", stateDir);
      }
      StateDirectory.applyDefaults(config);
    } catch (Exception e) {
      System.err.println("portcullis: " + rootMessage(e));
      System.exit(1);
      return;
    } finally {
      bootstrap.close();
    }
    if (OnboardingCommands.handles(command.get(0))) {
      try {
        System.exit(new OnboardingCommands(StateDirectory.of(config), System.out).run(command));
      } catch (Exception e) {
        System.err.println("portcullis: " + rootMessage(e));
        System.exit(1);
      }
      return;
    }
    if (HostCommands.handles(command.get(0))) {
      try {
        System.exit(new HostCommands(StateDirectory.of(config), System.out).run(command));
      } catch (Exception e) {
        System.err.println("portcullis: " + rootMessage(e));
        System.exit(1);
      }
      return;
    }
    if (SessionCommands.handles(command.get(0))) {
      try {
        System.exit(new SessionCommands(System.out).run(command));
      } catch (Exception e) {
        System.err.println("portcullis: " + rootMessage(e));
        System.exit(1);
      }
      return;
    }
    if (!command.get(0).equals("run") || command.size() > 1) {
      System.err.println("portcullis: unknown command " + String.join(" ", command) + " (try --help)");
      System.exit(2);
      return;
    }
    run(config);
  }

  private static void run(JsonObject config) throws Exception {
    try {
      if (StateDirectory.ensureInitialised(config)) {
        System.out.println("portcullis: created a CA and a server certificate (localhost, 127.0.0.1) in " + StateDirectory.of(config));
      }
    } catch (Exception e) {
      System.err.println("portcullis: cannot prepare the state directory: " + rootMessage(e));
      System.exit(1);
      return;
    }
    // SIGTERM/SIGINT from here on are a drain, also while the node is still starting (it drains once up).
    CountDownLatch stopRequested = new CountDownLatch(1);
    for (String signal : List.of("TERM", "INT")) {
      sun.misc.Signal.handle(new sun.misc.Signal(signal), sig -> stopRequested.countDown());
    }
    PortcullisNode node;
    try {
      node = PortcullisNode.start(config).toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
    } catch (Exception e) {
      System.err.println("portcullis: cannot start: " + rootMessage(e));
      if (System.getenv("PORTCULLIS_DEBUG") != null) {
        e.printStackTrace();
      }
      System.exit(1);
      return;
    }
    for (BackendHost host : node.hosts()) {
      if (host.state() == BackendHost.HostState.DOWN) {
        System.out.println("portcullis: backend host " + host.name() + " (" + host.uri()
            + ") is not reachable; calls will get 503 until it answers");
      } else {
        System.out.println("portcullis: backend host " + host.name() + " (" + host.uri() + ") is " + host.state().wireName());
      }
    }
    JsonObject edge = config.getJsonObject("edge");
    int tlsPort = node.servesTenants() ? edge.getInteger("tlsPort", 2376) : -1;
    if (!node.servesTenants()) {
      System.out.println("portcullis: this node runs " + config.getJsonObject("node", new JsonObject()).getValue("roles")
          + " for the cluster; it does not face tenants");
    }
    if (tlsPort >= 0) {
      System.out.println("portcullis: listening with mutual TLS on " + edge.getString("tlsHost", "127.0.0.1") + ":" + tlsPort
          + "; add a tenant with: java -jar portcullis.jar tenant add NAME --out DIR, then: DOCKER_TLS_VERIFY=1 DOCKER_CERT_PATH=DIR docker -H tcp://"
          + edge.getString("tlsHost", "127.0.0.1") + ":" + tlsPort + " ps");
    }
    int plaintextPort = node.servesTenants() ? edge.getInteger("plaintextPort", -1) : -1;
    if (plaintextPort >= 0) {
      System.out.println("portcullis: listening in plaintext on " + edge.getString("plaintextHost", "127.0.0.1") + ":" + plaintextPort
          + "; use it with: docker -H tcp://" + edge.getString("plaintextHost", "127.0.0.1") + ":" + plaintextPort + " ps");
    }
    long graceMs = edge.getLong("shutdownGraceMs", 30_000L);
    CountDownLatch stopped = new CountDownLatch(1);
    java.util.concurrent.atomic.AtomicBoolean stopping = new java.util.concurrent.atomic.AtomicBoolean();
    Runnable shutdown = () -> {
      if (!stopping.compareAndSet(false, true)) {
        return;
      }
      System.out.println("portcullis: stopping: no new connections; open sessions have up to " + graceMs + " ms");
      node.beginShutdown(graceMs);
      try {
        node.close().toCompletionStage().toCompletableFuture().get(graceMs + 30_000, TimeUnit.MILLISECONDS);
      } catch (Exception ignored) {
        // exiting anyway
      }
      System.out.println("portcullis: stopped");
      stopped.countDown();
    };
    // SIGTERM (Kubernetes, systemd) and SIGINT drain and exit 0; any other way out still closes the node.
    Runtime.getRuntime().addShutdownHook(new Thread(shutdown, "portcullis-shutdown-hook"));
    stopRequested.await();
    shutdown.run();
    stopped.await();
    System.exit(0);
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.toString() : t.getMessage();
  }
}
