package io.portcullis.app.it;

import static io.portcullis.app.it.Gateway.IMAGE;
import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.app.it.DockerCli.Result;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The Engine API's protocol corners, spoken by hand through the gateway to a real dockerd. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ProtocolIT {
  static final String LABEL = "portcullis-it=protocol";
  static Gateway gateway;
  static DockerCli docker;

  @BeforeAll
  static void start() {
    gateway = Gateway.shared();
    docker = gateway.cli();
  }

  @AfterAll
  static void cleanUp() {
    gateway.removeContainersLabelled(LABEL);
  }

  @Test
  void headPing_passesTheVersionNegotiationHeaders() throws Exception {
    try (RawConnection c = new RawConnection(gateway.port)) {
      String head = c.send("HEAD /_ping HTTP/1.1\r\nHost: gw\r\n\r\n").readHead();
      assertThat(head).startsWith("HTTP/1.1 200");
      assertThat(RawConnection.header(head, "Api-Version")).isEqualTo("1.41");
      assertThat(RawConnection.header(head, "OSType")).isEqualTo("linux");
      assertThat(RawConnection.header(head, "Docker-Experimental")).isNotNull();
      // The connection stays usable: a second call on it is answered too.
      String second = c.send("GET /_ping HTTP/1.1\r\nHost: gw\r\n\r\n").readHead();
      assertThat(second).startsWith("HTTP/1.1 200");
      assertThat(new String(c.readExactly(2), StandardCharsets.US_ASCII)).isEqualTo("OK");
    }
  }

  @Test
  void versionedAndUnversionedPaths_bothReachTheDaemon() throws Exception {
    for (String path : new String[] {"/containers/json?all=1", "/v1.41/containers/json?all=1", "/v1.24/version"}) {
      try (RawConnection c = new RawConnection(gateway.port)) {
        String head = c.send("GET " + path + " HTTP/1.1\r\nHost: gw\r\nConnection: close\r\n\r\n").readHead();
        assertThat(head).as(path).startsWith("HTTP/1.1 200");
      }
    }
  }

  @Test
  void malformedRequest_getsA400InDockersShape() throws Exception {
    try (RawConnection c = new RawConnection(gateway.port)) {
      c.send("GET /_ping HTTP/1.1\r\nHost gw\r\n\r\n");
      String head = c.readHead();
      assertThat(head).startsWith("HTTP/1.1 400");
      String body = new String(c.readToEnd(), StandardCharsets.UTF_8);
      assertThat(new JsonObject(body).getString("message")).contains("malformed");
    }
  }

  @Test
  void attachWithoutUpgradeHeader_getsThe200RawStreamForm_andIsSpliced() throws Exception {
    String n = Gateway.uniqueName();
    docker.run("create", "-i", "--network", "none", "--label", LABEL, "--name", n, IMAGE, "cat").ok();
    try (RawConnection c = new RawConnection(gateway.port)) {
      c.send("POST /v1.41/containers/" + n + "/attach?stream=1&stdin=1&stdout=1&stderr=1 HTTP/1.1\r\nHost: gw\r\nContent-Length: 0\r\n\r\n");
      String head = c.readHead();
      assertThat(head).startsWith("HTTP/1.1 200");
      assertThat(RawConnection.header(head, "Content-Type")).isEqualTo("application/vnd.docker.raw-stream");
      assertThat(RawConnection.header(head, "Transfer-Encoding")).as("must not be re-chunked").isNull();
      docker.run("start", n).ok();
      c.send("over-raw-stream\n");
      c.shutdownOutput();
      byte[] output = c.readToEnd();
      assertThat(RawConnection.demultiplex(output, 1)).isEqualTo("over-raw-stream\n");
    }
    assertThat(docker.run("wait", n).ok().out().trim()).isEqualTo("0");
  }

  @Test
  void attachWithUpgrade_gets101_andBytesSentWithTheRequestAreNotLost() throws Exception {
    String n = Gateway.uniqueName();
    docker.run("create", "-i", "--network", "none", "--label", LABEL, "--name", n, IMAGE, "cat").ok();
    docker.run("start", n).ok();
    try (RawConnection c = new RawConnection(gateway.port)) {
      // The request head and the first stdin bytes leave in one write, as a hasty client may send them.
      c.send("POST /containers/" + n + "/attach?stream=1&stdin=1&stdout=1 HTTP/1.1\r\nHost: gw\r\n"
          + "Upgrade: tcp\r\nConnection: Upgrade\r\nContent-Length: 0\r\n\r\nsent-with-head\n");
      String head = c.readHead();
      assertThat(head).startsWith("HTTP/1.1 101");
      assertThat(RawConnection.header(head, "Upgrade")).isEqualTo("tcp");
      c.send("sent-after\n");
      c.shutdownOutput();
      assertThat(RawConnection.demultiplex(c.readToEnd(), 1)).isEqualTo("sent-with-head\nsent-after\n");
    }
  }

  @Test
  void webSocketAttach_isSplicedBothWays() throws Exception {
    String n = Gateway.uniqueName();
    docker.run("run", "-d", "-i", "--network", "none", "--label", LABEL, "--name", n, IMAGE, "cat").ok();
    Vertx vertx = Vertx.vertx();
    try {
      WebSocketClient client = vertx.createWebSocketClient();
      CompletableFuture<String> echoed = new CompletableFuture<>();
      StringBuilder received = new StringBuilder();
      client.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(gateway.port)
              .setURI("/v1.41/containers/" + n + "/attach/ws?stream=1&stdin=1&stdout=1"))
          .onFailure(echoed::completeExceptionally)
          .onSuccess(ws -> {
            ws.handler(buf -> {
              received.append(buf.toString(StandardCharsets.UTF_8));
              if (received.toString().contains("over-websocket")) {
                echoed.complete(received.toString());
              }
            });
            ws.writeBinaryMessage(Buffer.buffer("over-websocket\n"));
          });
      assertThat(echoed.get(20, TimeUnit.SECONDS)).contains("over-websocket");
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void buildkitSessionAndGrpc_h2cUpgradesAreSpliced_forATenantWithTheBuildkitRuleOpened() throws Exception {
    try (RawConnection c = new RawConnection(gateway.port)) {
      String head = c.send("POST /session HTTP/1.1\r\nHost: gw\r\nUpgrade: h2c\r\nConnection: Upgrade\r\n"
          + "X-Docker-Expose-Session-Uuid: it-" + UUID.randomUUID() + "\r\nX-Docker-Expose-Session-Name: it\r\n"
          + "X-Docker-Expose-Session-Sharedkey: k\r\nContent-Length: 0\r\n\r\n").readHead();
      assertThat(head).startsWith("HTTP/1.1 101");
      // In a session the daemon is the HTTP/2 client: its connection preface comes through the splice.
      assertThat(new String(c.readExactly(24), StandardCharsets.US_ASCII)).isEqualTo("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");
    }
    try (RawConnection c = new RawConnection(gateway.port)) {
      String head = c.send("POST /grpc HTTP/1.1\r\nHost: gw\r\nUpgrade: h2c\r\nConnection: Upgrade\r\nContent-Length: 0\r\n\r\n").readHead();
      assertThat(head).startsWith("HTTP/1.1 101");
      c.send("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      c.send(new byte[] {0, 0, 0, 4, 0, 0, 0, 0, 0});
      byte[] frameHead = c.readExactly(9);
      assertThat(frameHead[3]).as("the daemon answers with an HTTP/2 SETTINGS frame").isEqualTo((byte) 4);
    }
    // Every other tenant is refused: BuildKit's cache is shared by every tenant of a host.
    try (var tls = TlsClient.connect(gateway.tenantBundle, gateway.tlsPort)) {
      String[] refused = TlsClient.call(tls, "POST", "/session", "");
      assertThat(refused[0]).startsWith("HTTP/1.1 403");
      assertThat(refused[1]).contains("rule buildkit");
    }
  }

  @Test
  void thousandAttachSessions_leaveNoFileDescriptorBehind() throws Exception {
    String n = Gateway.uniqueName();
    docker.run("run", "-d", "-i", "--network", "none", "--label", LABEL, "--name", n, IMAGE, "cat").ok();
    // Warm up: the first sessions open pooled resources that stay (event loops, the pool's idle connections).
    attachSessions(n, 20);
    Thread.sleep(500);
    long before = openFileDescriptors();
    attachSessions(n, 1000);
    long after = before;
    for (int i = 0; i < 100; i++) {
      after = openFileDescriptors();
      if (after <= before + 5) {
        break;
      }
      Thread.sleep(100);
    }
    assertThat(after).as("open fds before %d, after 1000 sessions %d", before, after).isLessThanOrEqualTo(before + 5);
  }

  private static void attachSessions(String container, int count) throws Exception {
    for (int i = 0; i < count; i++) {
      try (RawConnection c = new RawConnection(gateway.port)) {
        String head = c.send("POST /containers/" + container + "/attach?stream=1&stdin=1&stdout=1 HTTP/1.1\r\nHost: gw\r\n"
            + "Upgrade: tcp\r\nConnection: Upgrade\r\nContent-Length: 0\r\n\r\n").readHead();
        assertThat(head).startsWith("HTTP/1.1 101");
        if (i % 2 == 0) {
          // Half of them half-close and read to the end, as the CLI does when its stdin ends;
          // the daemon ends an attach whose stdin ended. The rest just hang up.
          c.shutdownOutput();
          c.readToEnd();
        }
      }
    }
  }

  private static long openFileDescriptors() throws Exception {
    try (var fds = Files.list(Path.of("/proc/self/fd"))) {
      return fds.count();
    }
  }
}
