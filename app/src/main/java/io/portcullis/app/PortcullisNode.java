package io.portcullis.app;

import io.micrometer.core.instrument.Gauge;
import io.portcullis.contracts.metrics.NodeMetrics;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.portcullis.auth.AuthVerticle;
import io.portcullis.contracts.BackendHost;
import io.portcullis.contracts.RegistryClient;
import io.portcullis.gateway.GatewayVerticle;
import io.portcullis.gateway.admin.AdminVerticle;
import io.portcullis.registry.RegistryVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * One gateway node: a clustered Vert.x instance running the registry, auth, gateway (edge) and admin
 * verticles, or the subset its {@link NodeRoles} name, with the configured backend hosts registered
 * over the event bus by a node that runs the registry.
 */
public final class PortcullisNode {
  private final Vertx vertx;
  private final List<BackendHost> hosts;
  private final Set<NodeRoles> roles;

  private PortcullisNode(Vertx vertx, List<BackendHost> hosts, Set<NodeRoles> roles) {
    this.vertx = vertx;
    this.hosts = hosts;
    this.roles = roles;
  }

  /** Whether this node faces the tenants (runs the edge listeners). */
  public boolean servesTenants() {
    return roles.contains(NodeRoles.EDGE);
  }

  public static Future<PortcullisNode> start(JsonObject config) {
    StateDirectory.applyDefaults(config);
    String name = nodeName(config);
    VertxOptions options = new VertxOptions().setPreferNativeTransport(true);
    options.getEventBusOptions()
        .setHost(config.getJsonObject("cluster", new JsonObject()).getString("host", "127.0.0.1"))
        // 0: any free port (one machine, several nodes); fixed where a network policy names it.
        .setPort(config.getJsonObject("cluster", new JsonObject()).getInteger("busPort", 0));
    // Vert.x's own meters where they are cheap and say something the edge's do not (event bus,
    // HTTP clients to the daemons, the admin server, worker pools); not on the tenants' connections
    // (NET_SERVER) or the backend sockets (NET_CLIENT), which the edge meters itself per call.
    options.setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true)
        .addDisabledMetricsCategory(MetricsDomain.NET_SERVER)
        .addDisabledMetricsCategory(MetricsDomain.NET_CLIENT)
        .addDisabledMetricsCategory(MetricsDomain.DATAGRAM_SOCKET));
    io.vertx.core.spi.cluster.ClusterManager cluster = ClusterSetup.clusterManager(config.getJsonObject("cluster", new JsonObject()));
    Gauge.builder("portcullis.cluster.members", cluster, NodeMetricsGauges::members)
        .description("members of the cluster as this node sees them").strongReference(true)
        .register(NodeMetrics.prometheus());
    return Vertx.builder()
        .with(options)
        .withMetrics(new MicrometerMetricsFactory(NodeMetrics.prometheus()))
        .withClusterManager(cluster)
        .buildClustered()
        .compose(vertx -> {
          vertx.sharedData().getLocalMap(io.portcullis.contracts.NodeState.MAP).put(io.portcullis.contracts.NodeState.NAME, name);
          return deploy(vertx, config).recover(err -> {
            // Not awaited: the close's completion may be dispatched to an event loop it already
            // stopped, and start() would then never answer (the caller exits on this failure anyway).
            vertx.close();
            return Future.failedFuture(err);
          });
        });
  }

  /**
   * The node's name for operators (sessions in the admin API, audit lines): {@code node.name}, else its host name (a pod's name in
   * Kubernetes) and the port tenants reach it on, so that nodes sharing a machine differ too. Looked up
   * here, before any event loop runs: the host name may need a resolver.
   */
  static String nodeName(JsonObject config) {
    String configured = config.getJsonObject("node", new JsonObject()).getString("name");
    if (configured != null && !configured.isBlank()) {
      return configured;
    }
    String host = System.getenv("HOSTNAME");
    if (host == null || host.isBlank()) {
      try {
        host = java.net.InetAddress.getLocalHost().getHostName();
      } catch (java.io.IOException e) {
        host = "localhost";
      }
    }
    JsonObject edge = config.getJsonObject("edge", new JsonObject());
    int port = edge.getInteger("tlsPort", 2376);
    return host + ":" + (port >= 0 ? port : edge.getInteger("plaintextPort", -1));
  }

  private static Future<PortcullisNode> deploy(Vertx vertx, JsonObject config) {
    if (!vertx.isNativeTransportEnabled()) {
      return Future.failedFuture(new IllegalStateException(
          "the epoll native transport is not available (" + vertx.unavailableNativeTransportCause()
              + "); Portcullis needs it for unix-socket backends and half-closed streams"));
    }
    int instances = config.getJsonObject("edge", new JsonObject()).getInteger("instances", 0);
    int edgeInstances = instances > 0 ? instances : Math.max(1, Runtime.getRuntime().availableProcessors());
    JsonObject registryConfig = config.getJsonObject("registry", new JsonObject());
    String stateDir = config.getJsonObject("auth", new JsonObject()).getString("stateDir");
    if (registryConfig.getString("stateDir") == null && stateDir != null) {
      // Registrations made at run time are kept beside the tenants, in the one state directory.
      config.put("registry", registryConfig.put("stateDir", stateDir));
    }
    Set<NodeRoles> roles;
    try {
      roles = NodeRoles.fromConfig(config);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    DeploymentOptions one = new DeploymentOptions().setConfig(config);
    // Hosts declared in the configuration belong to the registry: registered by the nodes that run it.
    List<BackendHost> hosts = roles.contains(NodeRoles.REGISTRY) ? configuredHosts(config) : List.of();
    // The configured hosts go to this node's own registry (every registry registers them).
    RegistryClient registry = new RegistryClient(vertx, 10_000, true);
    // The state directory's mutable files are the cluster's: caught up before auth and registry read them.
    boolean usesState = stateDir != null && (roles.contains(NodeRoles.AUTH) || roles.contains(NodeRoles.REGISTRY));
    // Polled more often than the stores reload: a change reaches the other nodes' files at once (an
    // event), or within this at worst, and their verticles within their reload interval.
    long syncMs = Math.min(250L, config.getJsonObject("auth", new JsonObject()).getLong("reloadIntervalMs", 500L));
    Future<Void> caughtUp = usesState
        ? new StateReplicator(vertx, java.nio.file.Path.of(stateDir)).start(syncMs)
        : Future.succeededFuture();
    return caughtUp
        .compose(v -> deployIf(vertx, roles.contains(NodeRoles.REGISTRY), () -> new RegistryVerticle(), one, 1))
        .compose(v -> deployIf(vertx, roles.contains(NodeRoles.AUTH), () -> new AuthVerticle(), one, 1))
        .compose(v -> registerAll(registry, hosts))
        .compose(registered -> deployIf(vertx, roles.contains(NodeRoles.EDGE), GatewayVerticle::new, one, edgeInstances)
            .compose(v -> deployIf(vertx, roles.contains(NodeRoles.ADMIN), () -> new AdminVerticle(), one, 1))
            .map(v -> new PortcullisNode(vertx, registered, roles)));
  }

  private static Future<Void> deployIf(Vertx vertx, boolean wanted, java.util.function.Supplier<? extends io.vertx.core.Deployable> verticle,
      DeploymentOptions options, int instances) {
    if (!wanted) {
      return Future.succeededFuture();
    }
    return vertx.deployVerticle(verticle, new DeploymentOptions(options).setInstances(instances)).mapEmpty();
  }

  private static List<BackendHost> configuredHosts(JsonObject config) {
    JsonArray array = config.getJsonObject("registry", new JsonObject()).getJsonArray("hosts", new JsonArray());
    List<BackendHost> hosts = new ArrayList<>();
    for (int i = 0; i < array.size(); i++) {
      JsonObject h = array.getJsonObject(i);
      try {
        JsonObject declared = h.copy();
        declared.put("name", h.getString("name", "host" + (i + 1))).put("uri", h.getString("uri", ""));
        if (declared.getValue("tls") instanceof JsonObject tls) {
          declared.put("tls", readTlsFiles(tls));
        }
        hosts.add(BackendHost.fromJson(declared));
      } catch (java.io.IOException e) {
        throw new IllegalArgumentException("invalid configuration registry.hosts[" + i + "].tls: cannot read " + e.getMessage());
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("invalid configuration registry.hosts[" + i + "]: " + e.getMessage());
      }
    }
    return hosts;
  }

  /**
   * In the configuration file a host's TLS material may be given as files ({@code caFile},
   * {@code certFile}, {@code keyFile}, as dockerd's own flags name them) instead of PEM text.
   */
  private static JsonObject readTlsFiles(JsonObject tls) throws java.io.IOException {
    JsonObject pem = tls.copy();
    for (String field : List.of("ca", "cert", "key")) {
      if (pem.getValue(field + "File") instanceof String file) {
        pem.put(field, java.nio.file.Files.readString(java.nio.file.Path.of(file)));
        pem.remove(field + "File");
      }
    }
    return pem;
  }

  private static Future<List<BackendHost>> registerAll(RegistryClient registry, List<BackendHost> hosts) {
    // Declared in the configuration: not stored in hosts.json, the configuration file is their record.
    List<Future<BackendHost>> registrations = hosts.stream().map(h -> registry.register(h, false)).toList();
    if (registrations.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    return Future.all(registrations).map(all -> registrations.stream().map(Future::result).toList());
  }

  public Vertx vertx() {
    return vertx;
  }

  /** The backend hosts as registered at start, with their first health verdict. */
  public List<BackendHost> hosts() {
    return hosts;
  }

  /**
   * Readiness turns false at once (load balancers stop sending); {@link #close()} then drains: open
   * sessions and streams get up to {@code graceMs} (and at most {@code edge.shutdownGraceMs}).
   */
  public void beginShutdown(long graceMs) {
    var state = vertx.sharedData().getLocalMap(io.portcullis.contracts.NodeState.MAP);
    state.put(io.portcullis.contracts.NodeState.GRACE_MS, graceMs);
    state.put(io.portcullis.contracts.NodeState.STOPPING, true);
  }

  /**
   * Stops the node and leaves the cluster: at once, or after a drain begun with {@link #beginShutdown}.
   */
  public Future<Void> close() {
    return vertx.close();
  }

  /** Gauges read from objects that may not answer yet (a cluster manager before it joined). */
  private static final class NodeMetricsGauges {
    static double members(io.vertx.core.spi.cluster.ClusterManager cluster) {
      try {
        return cluster.getNodes().size();
      } catch (RuntimeException notJoined) {
        return 0;
      }
    }
  }
}
