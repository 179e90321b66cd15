package io.portcullis.app.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.app.PortcullisNode;
import io.portcullis.app.it.DockerCli.Result;
import io.portcullis.contracts.Addresses;
import io.portcullis.contracts.BackendHost;
import io.portcullis.contracts.Route;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A real edge-only node ({@code node.roles: ["edge"]}) alone in its cluster: no auth and no registry
 * anywhere (the bus says NO_HANDLERS), or stand-ins registered on its bus that take the question and
 * never answer (TIMEOUT after {@code edge.busTimeoutMs}). The tenant gets a 503 in Docker's shape,
 * quickly, and the call never reaches a daemon, even though the registry stand-in routes to the suite's.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class EdgeServicesUnavailableIT {
  static final long BUS_TIMEOUT_MS = 1000;
  /** A loaded 2-core machine and the CLI's own start-up. */
  static final long MARGIN_MS = 2000;

  static PortcullisNode node;
  static int port;
  static MessageConsumer<JsonObject> auth;
  static MessageConsumer<JsonObject> registry;

  @BeforeAll
  static void start() throws Exception {
    port = Gateway.freePort();
    int clusterPort = Gateway.freePort();
    JsonObject config = new JsonObject()
        .put("node", new JsonObject().put("roles", new JsonArray().add("edge")))
        .put("edge", new JsonObject().put("tlsPort", -1).put("plaintextHost", "127.0.0.1").put("plaintextPort", port).put("instances", 1)
            .put("busTimeoutMs", BUS_TIMEOUT_MS).put("identityCacheMs", 0).put("routeCacheMs", 0))
        .put("auth", new JsonObject().put("stateDir", Files.createTempDirectory("portcullis-stalled").toString()))
        .put("audit", new JsonObject().put("target", "off"))
        .put("cluster", new JsonObject().put("host", "127.0.0.1").put("port", clusterPort)
            .put("name", "portcullis-stalled-" + UUID.randomUUID().toString().substring(0, 8))
            .put("members", new JsonArray().add("127.0.0.1:" + clusterPort)));
    node = PortcullisNode.start(config).toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
  }

  @AfterEach
  void unregisterStandIns() throws Exception {
    for (MessageConsumer<JsonObject> consumer : new MessageConsumer[] {auth, registry}) {
      if (consumer != null) {
        consumer.unregister().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      }
    }
    auth = null;
    registry = null;
  }

  @AfterAll
  static void stop() throws Exception {
    if (node != null) {
      node.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  /** Answers Docker's way; the status and message, and how long it took. */
  record Answer(int status, String message, long tookMs) {}

  static Answer call(String request) throws Exception {
    long started = System.nanoTime();
    try (RawConnection c = new RawConnection(port)) {
      String head = c.send(request).readHead();
      long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
      assertThat(RawConnection.header(head, "Content-Type")).isEqualTo("application/json");
      String body = new String(c.readToEnd(), StandardCharsets.UTF_8);
      return new Answer(Integer.parseInt(head.substring(9, 12)), new JsonObject(body).getString("message"), tookMs);
    }
  }

  static String createRequest(String name) {
    String body = new JsonObject().put("Image", Gateway.IMAGE).put("Cmd", new JsonArray().add("true")).encode();
    return "POST /v1.41/containers/create?name=" + name + " HTTP/1.1\r\nHost: gw\r\nContent-Type: application/json\r\n"
        + "Content-Length: " + body.length() + "\r\n\r\n" + body;
  }

  /** A registry stand-in routing every tenant to the suite's daemon: what got past auth would reach it. */
  static MessageConsumer<JsonObject> routingToTheSuitesDaemon() throws Exception {
    BackendHost local = BackendHost.of("local", System.getenv("PORTCULLIS_IT_DOCKER_HOST"));
    return registered(node.vertx().eventBus().<JsonObject>consumer(Addresses.REGISTRY_ROUTE, msg -> msg.reply(new Route(local).toJson())));
  }

  static MessageConsumer<JsonObject> silent(String address) throws Exception {
    return registered(node.vertx().eventBus().<JsonObject>consumer(address, msg -> {
      // Takes the question and never answers: a verticle stuck in a long pause.
    }));
  }

  static MessageConsumer<JsonObject> registered(MessageConsumer<JsonObject> consumer) throws Exception {
    consumer.completion().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    return consumer;
  }

  static void assertNoContainerNamed(String name) {
    Result onDaemon = new DockerCli(System.getenv("PORTCULLIS_IT_DOCKER_HOST")).run("ps", "-aq", "--filter", "name=" + name);
    assertThat(onDaemon.ok().out()).as("nothing was created on the daemon").isBlank();
  }

  @Test
  void noAuthInTheCluster_is503AtOnce_notAfterTheBusTimeout() throws Exception {
    Answer answer = call("GET /v1.41/containers/json HTTP/1.1\r\nHost: gw\r\n\r\n");
    assertThat(answer.status()).isEqualTo(503);
    assertThat(answer.message()).isEqualTo("auth service is not running");
    assertThat(answer.tookMs()).as("NO_HANDLERS is known at once").isLessThan(BUS_TIMEOUT_MS);

    Result ps = new DockerCli("tcp://127.0.0.1:" + port).run("ps");
    assertThat(ps.exitCode()).isNotZero();
    assertThat(ps.stderr()).contains("auth service is not running");
  }

  @Test
  void authThatNeverAnswers_is503AfterTheBusTimeout_andTheCreateNeverReachesTheDaemon() throws Exception {
    auth = silent(Addresses.AUTH_IDENTIFY);
    registry = routingToTheSuitesDaemon();
    String name = "stalled-" + UUID.randomUUID().toString().substring(0, 8);
    Answer answer = call(createRequest(name));
    assertThat(answer.status()).isEqualTo(503);
    assertThat(answer.message()).isEqualTo("auth service did not answer in time");
    assertThat(answer.tookMs()).isBetween(BUS_TIMEOUT_MS - 50, BUS_TIMEOUT_MS + MARGIN_MS);
    assertNoContainerNamed(name);

    Result run = new DockerCli("tcp://127.0.0.1:" + port).run("run", "--name", name, "--network", "none", Gateway.IMAGE, "true");
    assertThat(run.exitCode()).isNotZero();
    assertThat(run.stderr()).contains("auth service did not answer in time");
    assertNoContainerNamed(name);
  }

  @Test
  void registryThatNeverAnswers_is503AfterTheBusTimeout() throws Exception {
    auth = registered(node.vertx().eventBus().<JsonObject>consumer(Addresses.AUTH_IDENTIFY,
        msg -> msg.reply(new JsonObject().put("id", "stalled-tenant"))));
    registry = silent(Addresses.REGISTRY_ROUTE);
    String name = "stalled-" + UUID.randomUUID().toString().substring(0, 8);
    Answer answer = call(createRequest(name));
    assertThat(answer.status()).isEqualTo(503);
    assertThat(answer.message()).isEqualTo("registry service did not answer in time");
    assertThat(answer.tookMs()).isBetween(BUS_TIMEOUT_MS - 50, BUS_TIMEOUT_MS + MARGIN_MS);
    assertNoContainerNamed(name);
  }
}
