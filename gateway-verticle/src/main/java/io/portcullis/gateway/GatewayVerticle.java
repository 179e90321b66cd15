package io.portcullis.gateway;

import io.portcullis.gateway.observe.AuditConfig;
import io.portcullis.gateway.observe.AuditLog;
import io.portcullis.gateway.observe.EdgeObserver;
import io.portcullis.contracts.Addresses;
import io.portcullis.contracts.AuthClient;
import io.portcullis.contracts.NodeState;
import io.portcullis.contracts.RegistryClient;
import io.portcullis.gateway.backend.BackendPool;
import io.portcullis.gateway.classify.RequestClassifier;
import io.portcullis.gateway.hosts.HostLocator;
import io.portcullis.gateway.ownership.BackendInspector;
import io.portcullis.gateway.ownership.OwnershipGuard;
import io.portcullis.gateway.policy.CallPolicy;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import io.portcullis.gateway.policy.CreatePolicy;
import io.portcullis.gateway.policy.PolicyConfig;
import io.portcullis.gateway.policy.QuotaPolicy;
import io.portcullis.gateway.edge.EdgeListener;
import io.portcullis.gateway.edge.EdgeServices;
import io.portcullis.gateway.edge.IdentityCache;
import io.portcullis.gateway.edge.LiveSessions;
import io.portcullis.gateway.edge.RouteCache;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.portcullis.contracts.LiveSession;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import java.util.List;
import java.util.UUID;

/**
 * The edge: the tenants' listener, and the proxy that forwards their calls to the backend daemons.
 * Deploy one instance per event loop; they share the listening port and each keeps its own backend
 * connections, so a request never changes thread.
 */
public final class GatewayVerticle extends VerticleBase {
  private NetClient netClient;
  private List<io.vertx.core.net.NetServer> servers = List.of();
  private long graceMs;
  private HttpClient inspectClient;
  private AuditLog audit;

  /** The node's name (set by the node at start; {@code node.name} or host:port), for audit lines. */
  private String nodeName() {
    Object name = vertx.sharedData().getLocalMap(NodeState.MAP).get(NodeState.NAME);
    return name instanceof String s ? s : "unknown";
  }


  @Override
  public Future<?> start() {
    GatewayConfig config = GatewayConfig.fromJson(config().getJsonObject("edge", new JsonObject()));
    graceMs = config.shutdownGraceMs();
    netClient = vertx.createNetClient(new NetClientOptions()
        .setConnectTimeout(config.backendConnectTimeoutMs())
        .setTcpNoDelay(true)
        .setTcpKeepAlive(true));
    RegistryClient registry = new RegistryClient(vertx, config.busTimeoutMs(), NodeState.runsLocally(config(), "registry"));
    RouteCache routes = new RouteCache(registry, config.routeCacheMs(), System::currentTimeMillis);
    inspectClient = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true)
        .setConnectTimeout(config.backendConnectTimeoutMs()), new PoolOptions().setHttp1MaxSize(32));
    PolicyConfig policy = PolicyConfig.fromJson(config().getJsonObject("policy", new JsonObject()));
    audit = AuditLog.open(AuditConfig.fromJson(config().getJsonObject("audit", new JsonObject()),
        config().getJsonObject("auth", new JsonObject()).getString("stateDir")));
    IdentityCache identities = new IdentityCache(new AuthClient(vertx, config.busTimeoutMs(), NodeState.runsLocally(config(), "auth")),
        config.identityCacheMs(), System::currentTimeMillis);
    String instanceId = UUID.randomUUID().toString().substring(0, 8);
    EdgeServices services = new EdgeServices(
        config,
        identities,
        new RequestClassifier(),
        routes,
        new BackendPool(netClient, config.maxIdleBackendConnections(), config.tcpKeepAlive()),
        new CallPolicy(),
        new CreatePolicy(policy),
        policy,
        new QuotaPolicy(policy),
        new OwnershipGuard(new BackendInspector(inspectClient)),
        new LiveSessions(identities, instanceId, NodeState.name(vertx)),
        instanceId,
        new HostLocator(registry),
        registry,
        inspectClient,
        new EdgeObserver(nodeName(), audit),
        io.portcullis.gateway.limits.EdgeLimits.shared(
            io.portcullis.gateway.limits.LimitsConfig.fromJson(config().getJsonObject("limits", new JsonObject()))));
    Future<Void> hostChanges = vertx.eventBus()
        .consumer(Addresses.REGISTRY_EVENTS_HOST_CHANGED, msg -> routes.invalidate())
        .completion();
    Future<Void> authChanges = vertx.eventBus()
        .consumer(Addresses.AUTH_EVENTS_CHANGED, msg -> {
          services.identities().invalidate();
          services.sessions().recheck();
        })
        .completion();
    // The admin API's questions about hijacked sessions, published to every edge instance of the cluster.
    Future<Void> sessionList = vertx.eventBus()
        .<JsonObject>consumer(Addresses.EDGE_SESSIONS_LIST, msg -> vertx.eventBus().send(msg.body().getString("replyTo"),
            new JsonObject().put("sessions", new JsonArray(services.sessions().list().stream().map(LiveSession::toJson).toList()))))
        .completion();
    Future<Void> sessionEnd = vertx.eventBus()
        .<JsonObject>consumer(Addresses.EDGE_SESSIONS_END, msg -> services.sessions().end(msg.body().getString("id"))
            .ifPresent(ended -> vertx.eventBus().send(msg.body().getString("replyTo"), new JsonObject().put("ended", ended.toJson()))))
        .completion();
    Future<java.util.List<io.vertx.core.net.NetServer>> listening = new EdgeListener(vertx, services).listen()
        .onSuccess(started -> servers = started);
    return Future.join(List.of(hostChanges, authChanges, sessionList, sessionEnd, listening));
  }

  /**
   * Stops accepting at once. In a drain (SIGTERM: {@link NodeState#GRACE_MS} set), open connections
   * are told (idle keep-alive ones close, a request in progress finishes, hijacked sessions and
   * streams go on) and closed when {@code edge.shutdownGraceMs} has passed; otherwise at once. The
   * backend clients close after that.
   */
  @Override
  public Future<?> stop() {
    Object drain = vertx.sharedData().getLocalMap(NodeState.MAP).get(NodeState.GRACE_MS);
    long grace = drain instanceof Long ms ? Math.min(ms, graceMs) : 0L;
    List<Future<Void>> shutdowns = servers.stream()
        .map(server -> server.shutdown(grace, java.util.concurrent.TimeUnit.MILLISECONDS)).toList();
    return Future.join(new java.util.ArrayList<>(shutdowns))
        .eventually(() -> Future.join(netClient.close(), inspectClient.close()))
        // The audit lines of the connections just closed are written before the node exits (up to 5 s).
        .eventually(() -> audit == null ? Future.succeededFuture() : vertx.executeBlocking(() -> {
          audit.close();
          return null;
        }));
  }
}
