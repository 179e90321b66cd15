package io.portcullis.gateway.admin;

import io.portcullis.contracts.ApiException;
import io.portcullis.contracts.AuthClient;
import io.portcullis.contracts.IdentifyRequest;
import io.portcullis.contracts.RegistryClient;
import io.portcullis.contracts.SessionsClient;
import io.portcullis.contracts.Tenant;
import io.portcullis.gateway.edge.AnyClientCertificateTrust;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemKeyCertOptions;
import java.security.cert.Certificate;
import java.util.List;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * The operators' HTTPS port: every {@code /admin} request is identified by its client certificate
 * through the auth verticle, like a tenant's connection, and served only when the identity is an
 * admin's (a certificate issued with {@code tenant add NAME --admin}). {@code /health} (the process
 * serves) and {@code /readiness} ({@link ReadinessProbe}) answer anyone, for load balancers and
 * Kubernetes probes. Each family of resources is a small class ({@link AdminResource}: hosts, tenants
 * and keys, revocations, sessions, config), most of them thin clients of the event-bus services; errors
 * have Docker's shape, {@code {"message": "..."}}.
 */
public final class AdminVerticle extends VerticleBase {
  private static final System.Logger log = System.getLogger(AdminVerticle.class.getName());
  private static final int MAX_BODY_BYTES = 1 << 20;

  /** How long a question to every edge of the cluster (sessions) collects answers. */
  private static final long SESSIONS_WINDOW_MS = 500;

  private HttpServer server;
  private AuthClient auth;
  private List<AdminResource> resources;
  private ReadinessProbe probes;

  @Override
  public Future<?> start() {
    AdminConfig config = AdminConfig.fromJson(config().getJsonObject("admin", new JsonObject()), config().getJsonObject("edge", new JsonObject()));
    if (!config.enabled()) {
      return Future.succeededFuture();
    }
    auth = new AuthClient(vertx, config.busTimeoutMs());
    // This node's own registry when it runs one: the hosts list shows what this node sees (health is
    // checked by each node); a change made there reaches the others' registries through the shared state.
    RegistryClient registry = new RegistryClient(vertx, config.busTimeoutMs(), io.portcullis.contracts.NodeState.runsLocally(config(), "registry"));
    // Tenant changes go to this node's own auth when it runs one: it writes this node's copy of the
    // state and hands it to the cluster, like host changes.
    AuthClient ownAuth = new AuthClient(vertx, config.busTimeoutMs(), io.portcullis.contracts.NodeState.runsLocally(config(), "auth"));
    resources = List.of(
        new HostsAdminApi(registry),
        new TenantsAdminApi(ownAuth),
        new RevocationsAdminApi(ownAuth),
        new SessionsAdminApi(new SessionsClient(vertx, SESSIONS_WINDOW_MS)),
        new ConfigAdminApi(config()));
    // Ready means this node's own services answer when it runs them, the cluster's otherwise.
    probes = new ReadinessProbe(vertx, ownAuth, registry);
    HttpServerOptions options = new HttpServerOptions()
        .setHost(config.host())
        .setPort(config.port())
        .setSsl(true)
        .setKeyCertOptions(new PemKeyCertOptions().setCertPath(config.certPath()).setKeyPath(config.keyPath()))
        .setTrustOptions(new AnyClientCertificateTrust())
        // Requested, not required: the probes (/health, /readiness) answer without one; every
        // /admin resource still needs an admin's certificate.
        .setClientAuth(ClientAuth.REQUEST);
    server = vertx.createHttpServer(options).requestHandler(this::onRequest);
    return server.listen().onSuccess(s -> System.out.println("portcullis: admin API on https://" + config.host() + ":" + s.actualPort()
        + " (admin client certificates only)"));
  }

  /** The port actually bound (for a configured port 0). */
  public int actualPort() {
    return server == null ? -1 : server.actualPort();
  }

  /** Marks the /metrics answer, which is text and already sent. */
  private static final JsonObject METRICS_SENT = new JsonObject();

  private void onRequest(HttpServerRequest request) {
    String path = request.path();
    if (path.equals("/health") || path.equals("/readiness")) {
      (path.equals("/health") ? Future.succeededFuture(new JsonObject().put("status", "UP")) : probes.readiness())
          .onSuccess(answer -> respond(request, 200, answer))
          .onFailure(err -> respond(request, 503, err instanceof ReadinessProbe.NotReady notReady
              ? notReady.answer() : new JsonObject().put("status", "DOWN").put("message", String.valueOf(err.getMessage()))));
      return;
    }
    request.pause();
    identify(request)
        .compose(identity -> {
          if (!identity.isAdmin()) {
            return Future.failedFuture(ApiException.forbidden("the admin API takes admin certificates only; "
                + identity.id() + " is a tenant"));
          }
          if (path.equals("/metrics") && request.method() == io.vertx.core.http.HttpMethod.GET) {
            return vertx.executeBlocking(() -> io.portcullis.contracts.metrics.NodeMetrics.prometheus().scrape())
                .compose(text -> {
                  request.response().putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8").end(text);
                  return Future.succeededFuture(METRICS_SENT);
                });
          }
          AdminResource resource = resources.stream().filter(r -> r.handles(path)).findFirst().orElse(null);
          if (resource == null) {
            return Future.failedFuture(ApiException.notFound("no such admin resource: " + path));
          }
          request.resume();
          return request.body().compose(body -> {
            if (body.length() > MAX_BODY_BYTES) {
              return Future.failedFuture(new ApiException(413, "request body is too large"));
            }
            JsonObject json;
            try {
              json = body.length() == 0 ? new JsonObject() : new JsonObject(body);
            } catch (RuntimeException e) {
              return Future.failedFuture(ApiException.badRequest("invalid JSON body: " + e.getMessage()));
            }
            try {
              return resource.handle(request.method(), path, json);
            } catch (ApiException e) {
              return Future.failedFuture(e);
            }
          });
        })
        .onSuccess(answer -> {
          if (answer != METRICS_SENT) {
            respond(request, 200, answer);
          }
        })
        .onFailure(err -> {
          ApiException api = err instanceof ApiException a ? a : new ApiException(500, "internal gateway error");
          if (!(err instanceof ApiException)) {
            log.log(System.Logger.Level.ERROR, "admin request " + request.method() + " " + path + " failed", err);
          }
          respond(request, api.status(), new JsonObject().put("message", api.getMessage()));
        });
  }

  private Future<Tenant> identify(HttpServerRequest request) {
    List<Certificate> chain;
    try {
      chain = request.connection().peerCertificates();
    } catch (SSLPeerUnverifiedException e) {
      chain = List.of();
    }
    IdentifyRequest identify;
    try {
      identify = IdentifyRequest.fromPeerCertificates(String.valueOf(request.remoteAddress()), chain);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(ApiException.unauthorized(e.getMessage()));
    }
    return identify == null
        ? Future.failedFuture(ApiException.unauthorized("a client certificate is required"))
        : auth.identify(identify);
  }

  private static void respond(HttpServerRequest request, int status, JsonObject body) {
    request.response().setStatusCode(status).putHeader("Content-Type", "application/json")
        .end(Buffer.buffer(body.encode()));
  }

  @Override
  public Future<?> stop() {
    return server == null ? Future.succeededFuture() : server.close();
  }
}
