package io.portcullis.gateway.edge;

import static io.portcullis.gateway.edge.EdgeUnderTest.header;
import static io.portcullis.gateway.edge.EdgeUnderTest.readHead;
import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.contracts.BackendHost;
import io.portcullis.gateway.GatewayConfig;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The edge against a fake backend that accepts connections and answers late or never, with
 * {@code edge.backendResponseTimeoutMs} at one second: a plain call gets {@code 504} in Docker's shape
 * within the deadline and a margin; a stream's head and a {@code stop} within its grace are waited for.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FakeSilentBackendEdgeTest {
  private static final long DEADLINE_MS = 1000;
  /** Timer resolution, a loaded 2-core machine, the client's own reading. */
  private static final long MARGIN_MS = 1500;

  private Vertx vertx;
  private ServerSocket fakeBackend;
  private int edgePort;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.builder().with(new VertxOptions().setPreferNativeTransport(true)).build();
    fakeBackend = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
    BackendHost host = BackendHost.of("fake", "tcp://127.0.0.1:" + fakeBackend.getLocalPort());
    GatewayConfig config = GatewayConfig.fromJson(new JsonObject().put("tlsPort", -1).put("plaintextPort", 0)
        .put("backendResponseTimeoutMs", DEADLINE_MS));
    edgePort = EdgeUnderTest.start(vertx, host, "tenant-a", config);
  }

  @AfterEach
  void stop() throws Exception {
    fakeBackend.close();
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** Accepts one connection, reads the request head, waits {@code delayMs}, then writes {@code answer} (null: never). */
  private CompletableFuture<Boolean> backendAnswering(long delayMs, String answer) {
    return CompletableFuture.supplyAsync(() -> {
      try (Socket s = fakeBackend.accept()) {
        s.setSoTimeout(20_000);
        readHead(s.getInputStream());
        if (answer == null) {
          // Never answers; reads until the gateway gives up and closes the connection.
          return s.getInputStream().read() < 0;
        }
        Thread.sleep(delayMs);
        s.getOutputStream().write(answer.getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
        Thread.sleep(300);
        return true;
      } catch (Exception e) {
        throw new RuntimeException(e);
      }
    });
  }

  private Socket client() throws IOException {
    Socket s = new Socket(InetAddress.getLoopbackAddress(), edgePort);
    s.setSoTimeout(20_000);
    return s;
  }

  @Test
  void fakeBackend_acceptsButNeverAnswers_plainCallGets504WithinTheDeadline_andTheBackendConnectionIsClosed() throws Exception {
    CompletableFuture<Boolean> backendSawClose = backendAnswering(0, null);
    try (Socket c = client()) {
      long start = System.nanoTime();
      c.getOutputStream().write("GET /v1.41/containers/json HTTP/1.1\r\nHost: gw\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      String head = readHead(c.getInputStream());
      long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      assertThat(head).startsWith("HTTP/1.1 504");
      assertThat(header(head, "Content-Type")).isEqualTo("application/json");
      assertThat(header(head, "Connection")).isEqualToIgnoringCase("close");
      String body = new String(c.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(new JsonObject(body).getString("message")).isEqualTo("backend host fake did not answer in time");
      assertThat(tookMs).as("the deadline, not sooner and not much later").isBetween(DEADLINE_MS - 50, DEADLINE_MS + MARGIN_MS);
    }
    assertThat(backendSawClose.get(10, TimeUnit.SECONDS)).as("the gateway closed its backend connection").isTrue();
  }

  @Test
  void fakeBackend_holdsAWaitHeadPastTheDeadline_theStreamIsWaitedFor() throws Exception {
    String body = "{\"StatusCode\":0}\n";
    CompletableFuture<Boolean> backend = backendAnswering(DEADLINE_MS + 1500, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
        + "Content-Length: " + body.length() + "\r\n\r\n" + body);
    try (Socket c = client()) {
      c.getOutputStream().write("POST /v1.41/containers/abc/wait HTTP/1.1\r\nHost: gw\r\nContent-Length: 0\r\n\r\n"
          .getBytes(StandardCharsets.US_ASCII));
      assertThat(readHead(c.getInputStream())).startsWith("HTTP/1.1 200");
      assertThat(new String(c.getInputStream().readNBytes(body.length()), StandardCharsets.US_ASCII)).isEqualTo(body);
    }
    assertThat(backend.get(10, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void fakeBackend_stopAnsweredWithinItsGrace_isNotCutByTheDeadline() throws Exception {
    CompletableFuture<Boolean> backend = backendAnswering(DEADLINE_MS + 1000, "HTTP/1.1 204 No Content\r\n\r\n");
    try (Socket c = client()) {
      c.getOutputStream().write("POST /v1.41/containers/abc/stop?t=3 HTTP/1.1\r\nHost: gw\r\nContent-Length: 0\r\n\r\n"
          .getBytes(StandardCharsets.US_ASCII));
      assertThat(readHead(c.getInputStream())).startsWith("HTTP/1.1 204");
    }
    assertThat(backend.get(10, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void fakeBackend_slowUpload_theDeadlineStartsOnceTheBodyIsAllSent() throws Exception {
    CompletableFuture<String> backend = CompletableFuture.supplyAsync(() -> {
      try (Socket s = fakeBackend.accept()) {
        s.setSoTimeout(20_000);
        readHead(s.getInputStream());
        String received = new String(s.getInputStream().readNBytes(6), StandardCharsets.US_ASCII);
        s.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
        Thread.sleep(300);
        return received;
      } catch (Exception e) {
        throw new RuntimeException(e);
      }
    });
    try (Socket c = client()) {
      c.getOutputStream().write(("PUT /v1.41/containers/abc/archive?path=/tmp HTTP/1.1\r\nHost: gw\r\nContent-Length: 6\r\n\r\nabc")
          .getBytes(StandardCharsets.US_ASCII));
      c.getOutputStream().flush();
      // The rest of the body comes well after the deadline would have passed had it started with the head.
      Thread.sleep(DEADLINE_MS + 1000);
      c.getOutputStream().write("def".getBytes(StandardCharsets.US_ASCII));
      assertThat(readHead(c.getInputStream())).startsWith("HTTP/1.1 200");
    }
    assertThat(backend.get(10, TimeUnit.SECONDS)).isEqualTo("abcdef");
  }
}
