package io.portcullis.gateway.edge;

import static io.portcullis.gateway.edge.EdgeUnderTest.header;
import static io.portcullis.gateway.edge.EdgeUnderTest.readHead;
import static io.portcullis.gateway.edge.EdgeUnderTest.readLine;
import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.contracts.BackendHost;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The edge against a scripted fake backend, for what a real dockerd cannot be made to do on demand:
 * put bytes in the same packet as its response head, hold a body back, die mid-stream, or answer
 * garbage. Auth and registry are stand-ins answering their event-bus contracts.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FakeBackendEdgeTest {
  private Vertx vertx;
  private ServerSocket fakeBackend;
  private int edgePort;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.builder().with(new VertxOptions().setPreferNativeTransport(true)).build();
    fakeBackend = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
    BackendHost host = BackendHost.of("fake", "tcp://127.0.0.1:" + fakeBackend.getLocalPort());
    edgePort = EdgeUnderTest.start(vertx, host, "tenant-a", EdgeUnderTest.plaintextConfig());
  }

  @AfterEach
  void stop() throws Exception {
    fakeBackend.close();
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** Accepts one backend connection, reads the request head, then runs the script. */
  private CompletableFuture<String> backendScript(BackendScript script) {
    return CompletableFuture.supplyAsync(() -> {
      try (Socket s = fakeBackend.accept()) {
        s.setSoTimeout(20_000);
        String head = readHead(s.getInputStream());
        script.run(s, head);
        return head;
      } catch (Exception e) {
        throw new RuntimeException(e);
      }
    });
  }

  interface BackendScript {
    void run(Socket backend, String requestHead) throws Exception;
  }

  private Socket client() throws IOException {
    Socket s = new Socket(InetAddress.getLoopbackAddress(), edgePort);
    s.setSoTimeout(20_000);
    return s;
  }

  @Test
  void fakeBackend_101WithBytesInTheSamePacket_loosesNoneOfThem() throws Exception {
    CompletableFuture<String> backend = backendScript((s, head) -> {
      s.getOutputStream().write(("HTTP/1.1 101 UPGRADED\r\nContent-Type: application/vnd.docker.raw-stream\r\n"
          + "Connection: Upgrade\r\nUpgrade: tcp\r\n\r\nEARLY-BYTES|").getBytes(StandardCharsets.US_ASCII));
      s.getOutputStream().flush();
      Thread.sleep(200);
      s.getOutputStream().write("LATER".getBytes(StandardCharsets.US_ASCII));
      s.shutdownOutput();
      assertThat(new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("client-stdin");
    });
    try (Socket c = client()) {
      c.getOutputStream().write(("POST /v1.41/containers/abc/attach?stream=1&stdin=1&stdout=1 HTTP/1.1\r\nHost: gw\r\n"
          + "Upgrade: tcp\r\nConnection: Upgrade\r\nContent-Length: 0\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      String head = readHead(c.getInputStream());
      assertThat(head).startsWith("HTTP/1.1 101");
      c.getOutputStream().write("client-stdin".getBytes(StandardCharsets.US_ASCII));
      c.shutdownOutput();
      assertThat(new String(c.getInputStream().readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("EARLY-BYTES|LATER");
    }
    assertThat(backend.get(20, TimeUnit.SECONDS)).contains("Upgrade: tcp");
  }

  @Test
  void fakeBackend_200RawStreamFormWithBytesInTheSamePacket_isSplicedWithoutLoss() throws Exception {
    CompletableFuture<String> backend = backendScript((s, head) -> {
      s.getOutputStream().write(("HTTP/1.1 200 OK\r\nContent-Type: application/vnd.docker.raw-stream\r\n\r\nFIRST|")
          .getBytes(StandardCharsets.US_ASCII));
      s.getOutputStream().flush();
      assertThat(new String(s.getInputStream().readNBytes(5), StandardCharsets.US_ASCII)).isEqualTo("input");
      s.getOutputStream().write("SECOND".getBytes(StandardCharsets.US_ASCII));
      s.close();
    });
    try (Socket c = client()) {
      c.getOutputStream().write(("POST /containers/abc/attach?stream=1&stdin=1&stdout=1 HTTP/1.1\r\nHost: gw\r\n"
          + "Content-Length: 0\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      String head = readHead(c.getInputStream());
      assertThat(head).startsWith("HTTP/1.1 200").doesNotContainIgnoringCase("transfer-encoding");
      c.getOutputStream().write("input".getBytes(StandardCharsets.US_ASCII));
      assertThat(new String(c.getInputStream().readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("FIRST|SECOND");
    }
    assertThat(backend.get(20, TimeUnit.SECONDS)).doesNotContainIgnoringCase("upgrade:");
  }

  @Test
  void fakeBackend_waitResponseHead_reachesTheClientBeforeTheBodyExists() throws Exception {
    CountDownLatch clientSawHead = new CountDownLatch(1);
    backendScript((s, head) -> {
      s.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
          .getBytes(StandardCharsets.US_ASCII));
      s.getOutputStream().flush();
      // The body (the exit code) is only written once the client has seen the head.
      assertThat(clientSawHead.await(20, TimeUnit.SECONDS)).isTrue();
      String body = "{\"StatusCode\":0}\n";
      s.getOutputStream().write((Integer.toHexString(body.length()) + "\r\n" + body + "\r\n0\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      s.getOutputStream().flush();
      Thread.sleep(500);
    });
    try (Socket c = client()) {
      c.getOutputStream().write("POST /v1.41/containers/abc/wait?condition=next-exit HTTP/1.1\r\nHost: gw\r\nContent-Length: 0\r\n\r\n"
          .getBytes(StandardCharsets.US_ASCII));
      String head = readHead(c.getInputStream());
      assertThat(head).startsWith("HTTP/1.1 200");
      clientSawHead.countDown();
      String chunk = readLine(c.getInputStream());
      assertThat(Integer.parseInt(chunk.trim(), 16)).isEqualTo("{\"StatusCode\":0}\n".length());
      assertThat(readLine(c.getInputStream())).isEqualTo("{\"StatusCode\":0}");
    }
  }

  @Test
  void fakeBackend_diesMidStream_clientGetsEndOfStreamPromptly() throws Exception {
    backendScript((s, head) -> {
      s.getOutputStream().write("HTTP/1.1 101 UPGRADED\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\nsome-output"
          .getBytes(StandardCharsets.US_ASCII));
      s.getOutputStream().flush();
      Thread.sleep(200);
      s.setSoLinger(true, 0);
    });
    try (Socket c = client()) {
      c.getOutputStream().write(("POST /containers/abc/attach?stream=1&stdout=1 HTTP/1.1\r\nHost: gw\r\n"
          + "Upgrade: tcp\r\nConnection: Upgrade\r\nContent-Length: 0\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      assertThat(readHead(c.getInputStream())).startsWith("HTTP/1.1 101");
      long start = System.nanoTime();
      String rest = readUntilEndOrReset(c.getInputStream());
      assertThat(rest).isIn("some-output", "");
      assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start)).isLessThan(10);
    }
  }

  /**
   * The daemon ends its side (FIN) in the middle of a chunked body and keeps the socket open: the
   * client's answer is cut (connection closed) promptly instead of waiting for a body that never ends.
   */
  @Test
  void fakeBackend_halfClosesMidChunkedBody_clientConnectionIsClosedPromptly() throws Exception {
    CompletableFuture<String> backend = backendScript((s, head) -> {
      s.getOutputStream().write(("HTTP/1.1 200 OK\r\nContent-Type: application/vnd.docker.multiplexed-stream\r\nTransfer-Encoding: chunked\r\n\r\n"
          + "5\r\nhello\r\n").getBytes(StandardCharsets.US_ASCII));
      s.getOutputStream().flush();
      Thread.sleep(200);
      s.shutdownOutput();
      // The socket stays open for reading, as a daemon that stopped writing would leave it.
      Thread.sleep(5000);
    });
    try (Socket c = client()) {
      c.getOutputStream().write("GET /containers/abc/logs?follow=1&stdout=1 HTTP/1.1\r\nHost: gw\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      assertThat(readHead(c.getInputStream())).startsWith("HTTP/1.1 200");
      long start = System.nanoTime();
      String rest = readUntilEndOrReset(c.getInputStream());
      assertThat(rest).as("the chunk that came, then the end: no last chunk").contains("hello").doesNotContain("0\r\n\r\n");
      assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).as("cut when the daemon ended, not at its close")
          .isLessThan(3000);
    }
    backend.get(20, TimeUnit.SECONDS);
  }

  @Test
  void fakeBackend_101OnACallThatMayNotHijack_gets502_andTheConnectionIsNotSpliced() throws Exception {
    backendScript((s, head) -> {
      s.getOutputStream().write("HTTP/1.1 101 UPGRADED\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\nraw".getBytes(StandardCharsets.US_ASCII));
      s.getOutputStream().flush();
      Thread.sleep(500);
    });
    try (Socket c = client()) {
      c.getOutputStream().write("GET /containers/json HTTP/1.1\r\nHost: gw\r\nUpgrade: tcp\r\nConnection: Upgrade\r\n\r\n"
          .getBytes(StandardCharsets.US_ASCII));
      String answer = readUntilEndOrReset(c.getInputStream());
      assertThat(answer).startsWith("HTTP/1.1 502").contains("switched protocols").doesNotContain("raw");
    }
  }

  @Test
  void fakeBackend_truncatedResponseHead_gets502InDockersShape() throws Exception {
    backendScript((s, head) -> {
      s.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Le".getBytes(StandardCharsets.US_ASCII));
      s.getOutputStream().flush();
      s.close();
    });
    assertBadGateway("GET /v1.41/containers/json HTTP/1.1\r\nHost: gw\r\n\r\n");
  }

  @Test
  void fakeBackend_garbageInsteadOfHttp_gets502InDockersShape() throws Exception {
    backendScript((s, head) -> {
      s.getOutputStream().write("\u0000\u0001garbage that is not http\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
      s.getOutputStream().flush();
      Thread.sleep(300);
    });
    assertBadGateway("GET /v1.41/info HTTP/1.1\r\nHost: gw\r\n\r\n");
  }

  @Test
  void fakeBackend_answersNormallyToAnAttach_connectionStaysHttp() throws Exception {
    backendScript((s, head) -> {
      String body = "{\"message\":\"No such container: abc\"}";
      s.getOutputStream().write(("HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nContent-Length: " + body.length()
          + "\r\n\r\n" + body).getBytes(StandardCharsets.US_ASCII));
      s.getOutputStream().flush();
      String next = readHead(s.getInputStream());
      assertThat(next).startsWith("GET /_ping");
      s.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nOK".getBytes(StandardCharsets.US_ASCII));
      s.getOutputStream().flush();
      Thread.sleep(300);
    });
    try (Socket c = client()) {
      // The follow-up request is in the same write: it must be read as HTTP once the daemon refused the attach.
      c.getOutputStream().write(("POST /containers/abc/attach?stream=1&stdout=1 HTTP/1.1\r\nHost: gw\r\n"
          + "Upgrade: tcp\r\nConnection: Upgrade\r\nContent-Length: 0\r\n\r\nGET /_ping HTTP/1.1\r\nHost: gw\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      String first = readHead(c.getInputStream());
      assertThat(first).startsWith("HTTP/1.1 404");
      int length = Integer.parseInt(header(first, "Content-Length"));
      assertThat(new String(c.getInputStream().readNBytes(length), StandardCharsets.US_ASCII)).contains("No such container");
      assertThat(readHead(c.getInputStream())).startsWith("HTTP/1.1 200");
      assertThat(new String(c.getInputStream().readNBytes(2), StandardCharsets.US_ASCII)).isEqualTo("OK");
    }
  }

  @Test
  void fakeBackend_100Continue_thenTheFinalResponse_bothReachTheClient() throws Exception {
    backendScript((s, head) -> {
      assertThat(head).containsIgnoringCase("Expect: 100-continue");
      s.getOutputStream().write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      s.getOutputStream().flush();
      assertThat(new String(s.getInputStream().readNBytes(5), StandardCharsets.US_ASCII)).isEqualTo("hello");
      s.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nOK".getBytes(StandardCharsets.US_ASCII));
      s.getOutputStream().flush();
      Thread.sleep(300);
    });
    try (Socket c = client()) {
      c.getOutputStream().write(("PUT /v1.41/containers/abc/archive?path=/tmp HTTP/1.1\r\nHost: gw\r\nExpect: 100-continue\r\n"
          + "Content-Length: 5\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      assertThat(readHead(c.getInputStream())).startsWith("HTTP/1.1 100");
      c.getOutputStream().write("hello".getBytes(StandardCharsets.US_ASCII));
      assertThat(readHead(c.getInputStream())).startsWith("HTTP/1.1 200");
      assertThat(new String(c.getInputStream().readNBytes(2), StandardCharsets.US_ASCII)).isEqualTo("OK");
    }
  }

  @Test
  void statsWithAContentLength_isRewrittenToTheTenantsName_andSentChunked() throws Exception {
    String sample = "{\"name\":\"/tenant-a.web\",\"id\":\"abc\"}\n";
    CompletableFuture<String> backend = backendScript((s, head) -> {
      s.getOutputStream().write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + sample.length()
          + "\r\n\r\n" + sample).getBytes(StandardCharsets.US_ASCII));
      s.getOutputStream().flush();
      Thread.sleep(300);
    });
    try (Socket c = client()) {
      c.getOutputStream().write("GET /v1.41/containers/abc/stats?stream=false HTTP/1.1\r\nHost: gw\r\nConnection: close\r\n\r\n"
          .getBytes(StandardCharsets.US_ASCII));
      String head = readHead(c.getInputStream());
      assertThat(head).startsWith("HTTP/1.1 200");
      assertThat(header(head, "Content-Length")).isNull();
      assertThat(header(head, "Transfer-Encoding")).isEqualToIgnoringCase("chunked");
      String body = new String(c.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
      assertThat(body).contains("{\"name\":\"/web\",\"id\":\"abc\"}").doesNotContain("tenant-a.");
      assertThat(body).endsWith("0\r\n\r\n");
      assertThat(backend.get(10, TimeUnit.SECONDS)).startsWith("GET /v1.41/containers/abc/stats");
    }
  }

  @Test
  void fakeBackend_answeringConnectionClose_isNotReused_andTheNextCallStillWorks() throws Exception {
    CompletableFuture<String> first = backendScript((s, head) -> {
      s.getOutputStream().write("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 5\r\n\r\nfirst".getBytes(StandardCharsets.US_ASCII));
      s.getOutputStream().flush();
      s.close();
    });
    try (Socket c = client()) {
      c.getOutputStream().write("GET /v1.41/version HTTP/1.1\r\nHost: gw\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      assertThat(readHead(c.getInputStream())).startsWith("HTTP/1.1 200");
      assertThat(new String(c.getInputStream().readNBytes(5), StandardCharsets.US_ASCII)).isEqualTo("first");
      first.get(10, TimeUnit.SECONDS);
      CompletableFuture<String> second = backendScript((s, head) -> {
        s.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nsecond".getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
        Thread.sleep(300);
      });
      c.getOutputStream().write("GET /v1.41/version HTTP/1.1\r\nHost: gw\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      String head = readHead(c.getInputStream());
      assertThat(head).startsWith("HTTP/1.1 200");
      assertThat(header(head, "Connection")).as("the client asked to close").isEqualToIgnoringCase("close");
      assertThat(new String(c.getInputStream().readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("second");
      assertThat(second.get(10, TimeUnit.SECONDS)).startsWith("GET /v1.41/version");
    }
  }

  @Test
  void fakeBackend_pipelinedPlainCallThenAttach_stdinAfterTheAttachIsNotReadAsHttp() throws Exception {
    CompletableFuture<String> backend = backendScript((s, head) -> {
      assertThat(head).startsWith("GET /_ping");
      s.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nOK".getBytes(StandardCharsets.US_ASCII));
      s.getOutputStream().flush();
      String attach = readHead(s.getInputStream());
      assertThat(attach).startsWith("POST /containers/abc/attach");
      s.getOutputStream().write("HTTP/1.1 101 UPGRADED\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      s.getOutputStream().flush();
      assertThat(new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("GET / HTTP/1.1\r\nnot-http\r\n\r\n");
      s.getOutputStream().write("bye".getBytes(StandardCharsets.US_ASCII));
    });
    try (Socket c = client()) {
      // Stdin that happens to look like HTTP, sent in the same write as both requests.
      c.getOutputStream().write(("GET /_ping HTTP/1.1\r\nHost: gw\r\n\r\n"
          + "POST /containers/abc/attach?stream=1&stdin=1&stdout=1 HTTP/1.1\r\nHost: gw\r\nUpgrade: tcp\r\nConnection: Upgrade\r\n"
          + "Content-Length: 0\r\n\r\nGET / HTTP/1.1\r\nnot-http\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      assertThat(readHead(c.getInputStream())).startsWith("HTTP/1.1 200");
      assertThat(new String(c.getInputStream().readNBytes(2), StandardCharsets.US_ASCII)).isEqualTo("OK");
      assertThat(readHead(c.getInputStream())).startsWith("HTTP/1.1 101");
      c.shutdownOutput();
      assertThat(new String(c.getInputStream().readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("bye");
    }
    backend.get(10, TimeUnit.SECONDS);
  }

  @Test
  void fakeBackend_clientHalfClosesBeforeThe101_stdinAndTheEndStillReachTheDaemon() throws Exception {
    CompletableFuture<String> backend = backendScript((s, head) -> {
      Thread.sleep(300);
      s.getOutputStream().write("HTTP/1.1 101 UPGRADED\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      s.getOutputStream().flush();
      assertThat(new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("early-stdin");
      s.getOutputStream().write("output".getBytes(StandardCharsets.US_ASCII));
    });
    try (Socket c = client()) {
      c.getOutputStream().write(("POST /containers/abc/attach?stream=1&stdin=1&stdout=1 HTTP/1.1\r\nHost: gw\r\nUpgrade: tcp\r\n"
          + "Connection: Upgrade\r\nContent-Length: 0\r\n\r\nearly-stdin").getBytes(StandardCharsets.US_ASCII));
      c.shutdownOutput();
      assertThat(readHead(c.getInputStream())).startsWith("HTTP/1.1 101");
      String output = new String(c.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
      backend.get(10, TimeUnit.SECONDS);
      assertThat(output).isEqualTo("output");
    }
  }

  /**
   * A 64 MiB answer (a {@code cp} out of a container) to a client that reads 64 KiB and stops: the
   * daemon is held back by backpressure (socket buffers, tens of MiB at most), never read whole into
   * the gateway.
   */
  @Test
  void fakeBackend_largeAnswerToAClientThatStopsReading_isHeldBackByBackpressure() throws Exception {
    java.util.concurrent.atomic.AtomicLong written = new java.util.concurrent.atomic.AtomicLong();
    backendScript((s, head) -> {
      s.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Type: application/x-tar\r\nTransfer-Encoding: chunked\r\n\r\n"
          .getBytes(StandardCharsets.US_ASCII));
      byte[] chunk = new byte[65536];
      byte[] size = (Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII);
      try {
        for (int i = 0; i < 1024; i++) {
          s.getOutputStream().write(size);
          s.getOutputStream().write(chunk);
          s.getOutputStream().write("\r\n".getBytes(StandardCharsets.US_ASCII));
          written.addAndGet(chunk.length);
        }
      } catch (IOException closed) {
        // the test ended and closed the connection
      }
    });
    try (Socket c = client()) {
      c.getOutputStream().write("GET /v1.41/containers/abc/archive?path=/big HTTP/1.1\r\nHost: gw\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      assertThat(readHead(c.getInputStream())).startsWith("HTTP/1.1 200");
      assertThat(c.getInputStream().readNBytes(65536)).hasSize(65536);
      // Until the daemon's writes stall (or it wrote everything, which is the failure).
      long last = -1;
      for (int i = 0; i < 100 && written.get() != last; i++) {
        last = written.get();
        Thread.sleep(300);
      }
      assertThat(written.get()).as("bytes the daemon could write while the client read 64 KiB").isLessThan(32L << 20);
    }
  }

  private void assertBadGateway(String request) throws Exception {
    try (Socket c = client()) {
      c.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
      String head = readHead(c.getInputStream());
      assertThat(head).startsWith("HTTP/1.1 502");
      String body = new String(c.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(new JsonObject(body).getString("message")).contains("backend host fake");
    }
  }

  static String readUntilEndOrReset(InputStream in) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[1024];
    try {
      int n;
      while ((n = in.read(buf)) > 0) {
        out.write(buf, 0, n);
      }
    } catch (IOException reset) {
      // a reset is a prompt end too
    }
    return out.toString(StandardCharsets.US_ASCII);
  }

}
