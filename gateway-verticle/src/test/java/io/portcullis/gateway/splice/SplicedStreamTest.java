package io.portcullis.gateway.splice;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The splice on its own, between two real loopback TCP connections: a blocking "client" socket that
 * talks to a Vert.x server socket, and a Vert.x client socket that talks to a blocking "backend".
 * Blocking peers make half-close and slow reading easy to stage precisely.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SplicedStreamTest {
  private Vertx vertx;
  private ServerSocket backendListener;
  private Socket client;
  private Socket backend;
  private SplicedStream splice;

  @BeforeEach
  void splice() throws Exception {
    vertx = Vertx.builder().with(new VertxOptions().setPreferNativeTransport(true)).build();
    backendListener = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
    CompletableFuture<SplicedStream> ready = new CompletableFuture<>();
    NetServer server = vertx.createNetServer();
    NetClient netClient = vertx.createNetClient();
    server.connectHandler(clientSide -> {
      clientSide.pause();
      netClient.connect(backendListener.getLocalPort(), "127.0.0.1").onComplete(ar -> {
        if (ar.failed()) {
          ready.completeExceptionally(ar.cause());
          return;
        }
        NetSocket backendSide = ar.result();
        backendSide.pause();
        ready.complete(new SplicedStream((NetSocketInternal) clientSide, (NetSocketInternal) backendSide).start());
      });
    });
    int port = server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).actualPort();
    client = new Socket(InetAddress.getLoopbackAddress(), port);
    client.setSoTimeout(20_000);
    backend = backendListener.accept();
    backend.setSoTimeout(20_000);
    splice = ready.get(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void close() throws Exception {
    client.close();
    backend.close();
    backendListener.close();
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void clientHalfClose_reachesTheBackend_andOutputStillFlowsBack() throws Exception {
    client.getOutputStream().write("stdin-data".getBytes(StandardCharsets.UTF_8));
    client.shutdownOutput();
    assertThat(new String(backend.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
        .as("the backend reads the client's bytes, then EOF").isEqualTo("stdin-data");
    backend.getOutputStream().write("output-after-half-close".getBytes(StandardCharsets.UTF_8));
    backend.close();
    assertThat(new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
        .isEqualTo("output-after-half-close");
    assertThat(await(splice.closed())).isTrue();
  }

  @Test
  void backendHalfClose_reachesTheClient_andInputStillFlowsForward() throws Exception {
    backend.getOutputStream().write("all-output".getBytes(StandardCharsets.UTF_8));
    backend.shutdownOutput();
    assertThat(new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("all-output");
    client.getOutputStream().write("late-input".getBytes(StandardCharsets.UTF_8));
    client.shutdownOutput();
    assertThat(new String(backend.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("late-input");
    assertThat(await(splice.closed())).isTrue();
    assertThat(splice.clientToBackendBytes()).isEqualTo("late-input".length());
    assertThat(splice.backendToClientBytes()).isEqualTo("all-output".length());
  }

  @Test
  void slowReader_holdsTheWriterBack_insteadOfBufferingEverything() throws Exception {
    long total = 256L * 1024 * 1024;
    AtomicLong written = new AtomicLong();
    Thread writer = new Thread(() -> {
      byte[] chunk = new byte[64 * 1024];
      try (OutputStream out = backend.getOutputStream()) {
        while (written.get() < total) {
          out.write(chunk);
          written.addAndGet(chunk.length);
        }
      } catch (IOException ignored) {
        // the test ends the connection if it fails
      }
    });
    writer.start();
    // The client reads nothing for a while: the backend must soon be unable to write more.
    Thread.sleep(2000);
    long whileStalled = written.get();
    assertThat(whileStalled).as("bytes the backend could write while nobody read").isLessThan(64L * 1024 * 1024);
    long read = 0;
    byte[] buf = new byte[1 << 16];
    InputStream in = client.getInputStream();
    while (read < total) {
      int n = in.read(buf);
      if (n < 0) {
        break;
      }
      read += n;
    }
    writer.join(20_000);
    assertThat(read).isEqualTo(total);
  }

  @Test
  void backendResettingTheConnection_endsTheClientsConnectionPromptly() throws Exception {
    backend.getOutputStream().write("partial".getBytes(StandardCharsets.UTF_8));
    backend.setSoLinger(true, 0);
    backend.close();
    byte[] got = readUntilEndOrReset(client.getInputStream());
    assertThat(new String(got, StandardCharsets.UTF_8)).isIn("partial", "");
    assertThat(await(splice.closed())).isTrue();
  }

  @Test
  void close_fromTheGatewaySide_endsBothConnections() throws Exception {
    vertx.runOnContext(v -> splice.close());
    assertThat(client.getInputStream().read()).isEqualTo(-1);
    assertThat(backend.getInputStream().read()).isEqualTo(-1);
    assertThat(await(splice.closed())).isTrue();
  }

  private static byte[] readUntilEndOrReset(InputStream in) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    byte[] buf = new byte[1024];
    try {
      int n;
      while ((n = in.read(buf)) > 0) {
        out.write(buf, 0, n);
      }
    } catch (IOException reset) {
      // a reset is a prompt end too
    }
    return out.toByteArray();
  }

  private static boolean await(Future<Void> future) throws Exception {
    Promise<Boolean> done = Promise.promise();
    future.onComplete(ar -> done.complete(ar.succeeded()));
    return done.future().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
