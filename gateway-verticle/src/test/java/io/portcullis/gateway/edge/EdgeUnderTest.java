package io.portcullis.gateway.edge;

import io.portcullis.contracts.Addresses;
import io.portcullis.contracts.AuthClient;
import io.portcullis.contracts.BackendHost;
import io.portcullis.contracts.RegistryClient;
import io.portcullis.contracts.Route;
import io.portcullis.gateway.GatewayConfig;
import io.portcullis.gateway.backend.BackendPool;
import io.portcullis.gateway.classify.RequestClassifier;
import io.portcullis.gateway.ownership.AllowEverythingGuard;
import io.portcullis.gateway.policy.CallPolicy;
import io.portcullis.gateway.policy.CreatePolicy;
import io.portcullis.gateway.policy.PolicyConfig;
import io.portcullis.gateway.policy.QuotaPolicy;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClientOptions;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The edge for tests against a fake daemon: a plaintext listener on a loopback port, stand-ins that
 * answer the auth and registry event-bus contracts (always {@code tenant}, always {@code host}), and
 * an ownership guard that lets every object through (the fake daemon answers no inspects). And the
 * small HTTP reading those tests share.
 */
final class EdgeUnderTest {
  private EdgeUnderTest() {}

  /** Starts the edge on {@code vertx}; returns its port. */
  static int start(Vertx vertx, BackendHost host, String tenant, GatewayConfig config) throws Exception {
    vertx.eventBus().<JsonObject>consumer(Addresses.AUTH_IDENTIFY, msg -> msg.reply(new JsonObject().put("id", tenant)));
    vertx.eventBus().<JsonObject>consumer(Addresses.REGISTRY_ROUTE, msg -> msg.reply(new Route(host).toJson()));
    CompletableFuture<Integer> port = new CompletableFuture<>();
    vertx.runOnContext(v -> {
      IdentityCache identities = new IdentityCache(new AuthClient(vertx, 2000), 1000, System::currentTimeMillis);
      EdgeServices services = new EdgeServices(config, identities, new RequestClassifier(),
          new RouteCache(new RegistryClient(vertx, 2000), 1000, System::currentTimeMillis),
          new BackendPool(vertx.createNetClient(new NetClientOptions()), 4, config.tcpKeepAlive()),
          new CallPolicy(), new CreatePolicy(PolicyConfig.defaults()), PolicyConfig.defaults(),
          new QuotaPolicy(PolicyConfig.defaults()), new AllowEverythingGuard(), new LiveSessions(identities, "test", "local"), "test",
          new io.portcullis.gateway.hosts.HostLocator(new RegistryClient(vertx, 2000)), new RegistryClient(vertx, 2000),
          vertx.createHttpClient(), new io.portcullis.gateway.observe.EdgeObserver("test", null),
          io.portcullis.gateway.limits.EdgeLimits.shared(io.portcullis.gateway.limits.LimitsConfig.none()));
      new EdgeListener(vertx, services).listen().onComplete(ar -> {
        if (ar.succeeded()) {
          port.complete(ar.result().get(0).actualPort());
        } else {
          port.completeExceptionally(ar.cause());
        }
      });
    });
    return port.get(10, TimeUnit.SECONDS);
  }

  /** The plaintext-only edge configuration both fake-backend tests use. */
  static GatewayConfig plaintextConfig() {
    return GatewayConfig.fromJson(new JsonObject().put("tlsPort", -1).put("plaintextPort", 0));
  }

  static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    byte[] end = {'\r', '\n', '\r', '\n'};
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("closed inside a head: " + head.toString(StandardCharsets.ISO_8859_1));
      }
      head.write(b);
      matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    return head.toString(StandardCharsets.ISO_8859_1);
  }

  static String readLine(InputStream in) throws IOException {
    StringBuilder sb = new StringBuilder();
    int b;
    while ((b = in.read()) >= 0 && b != '\n') {
      if (b != '\r') {
        sb.append((char) b);
      }
    }
    if (b < 0) {
      throw new IOException("closed inside a line");
    }
    return sb.toString();
  }

  static String header(String head, String name) {
    for (String line : head.split("\r\n")) {
      int colon = line.indexOf(':');
      if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
        return line.substring(colon + 1).trim();
      }
    }
    return null;
  }
}
