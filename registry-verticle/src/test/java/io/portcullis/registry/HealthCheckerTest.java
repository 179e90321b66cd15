package io.portcullis.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.contracts.BackendHost;
import io.portcullis.contracts.BackendHost.HostState;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import java.nio.file.Path;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * HealthChecker against tiny real HTTP servers on loopback standing in for a daemon's {@code /_ping}:
 * one that answers OK, one that answers 500, one that never answers, and a port nobody listens on.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
class HealthCheckerTest {
  private static final long TIMEOUT_MS = 500;

  private final List<String> seen = new CopyOnWriteArrayList<>();
  private HttpClient http;
  private HealthChecker checker;

  @BeforeEach
  void createClient(Vertx vertx) {
    http = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(false));
    checker = new HealthChecker(http, TIMEOUT_MS);
  }

  private Future<BackendHost> serve(Vertx vertx, Handler<HttpServerRequest> handler) {
    HttpServer server = vertx.createHttpServer().requestHandler(req -> {
      seen.add(req.method() + " " + req.uri());
      handler.handle(req);
    });
    return server.listen(0, "127.0.0.1")
        .map(s -> BackendHost.of("fake", "tcp://127.0.0.1:" + s.actualPort()));
  }

  /** Answers like dockerd: 200 "OK" on /_ping, 404 elsewhere. */
  private static void daemonPing(HttpServerRequest req) {
    if (req.path().equals("/_ping")) {
      req.response().putHeader("Content-Type", "text/plain").end("OK");
    } else {
      req.response().setStatusCode(404).end("page not found");
    }
  }

  @Test
  void pingAnsweringOk_isUp(Vertx vertx, VertxTestContext ctx) {
    serve(vertx, HealthCheckerTest::daemonPing)
        .compose(checker::check)
        .onComplete(ctx.succeeding(state -> ctx.verify(() -> {
          assertThat(state).isEqualTo(HostState.UP);
          assertThat(seen).containsExactly("GET /_ping");
          ctx.completeNow();
        })));
  }

  @Test
  void pingAnswering500_isDown(Vertx vertx, VertxTestContext ctx) {
    serve(vertx, req -> req.response().setStatusCode(500).end("{\"message\":\"daemon is broken\"}"))
        .compose(checker::check)
        .onComplete(ctx.succeeding(state -> ctx.verify(() -> {
          assertThat(state).isEqualTo(HostState.DOWN);
          assertThat(seen).containsExactly("GET /_ping");
          ctx.completeNow();
        })));
  }

  @Test
  void pingAnswering503_isDown(Vertx vertx, VertxTestContext ctx) {
    serve(vertx, req -> req.response().setStatusCode(503).end())
        .compose(checker::check)
        .onComplete(ctx.succeeding(state -> ctx.verify(() -> {
          assertThat(state).isEqualTo(HostState.DOWN);
          ctx.completeNow();
        })));
  }

  @Test
  void nothingListening_isDown(Vertx vertx, VertxTestContext ctx) {
    // Take a free port, then close the server so that nobody listens on it.
    vertx.createHttpServer().requestHandler(req -> req.response().end())
        .listen(0, "127.0.0.1")
        .compose(server -> {
          int port = server.actualPort();
          return server.close().map(v -> BackendHost.of("gone", "tcp://127.0.0.1:" + port));
        })
        .compose(checker::check)
        .onComplete(ctx.succeeding(state -> ctx.verify(() -> {
          assertThat(state).isEqualTo(HostState.DOWN);
          ctx.completeNow();
        })));
  }

  @Test
  void serverThatNeverAnswers_isDownAfterTheTimeout(Vertx vertx, VertxTestContext ctx) {
    long[] started = new long[1];
    serve(vertx, req -> { /* accept the request, never answer */ })
        .compose(host -> {
          started[0] = System.nanoTime();
          return checker.check(host);
        })
        .onComplete(ctx.succeeding(state -> ctx.verify(() -> {
          long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started[0]);
          assertThat(state).isEqualTo(HostState.DOWN);
          assertThat(seen).containsExactly("GET /_ping");
          assertThat(tookMs).isGreaterThanOrEqualTo(TIMEOUT_MS - 50).isLessThan(5_000);
          ctx.completeNow();
        })));
  }

  @Test
  void connectionClosedWithoutAnswer_isDown(Vertx vertx, VertxTestContext ctx) {
    serve(vertx, req -> req.connection().close())
        .compose(checker::check)
        .onComplete(ctx.succeeding(state -> ctx.verify(() -> {
          assertThat(state).isEqualTo(HostState.DOWN);
          ctx.completeNow();
        })));
  }

  @Test
  void pingOverAUnixSocket_isUp_andSendsHostDocker(Vertx vertx, VertxTestContext ctx, @TempDir Path dir) {
    String socket = dir.resolve("docker.sock").toString();
    List<String> hostHeaders = new CopyOnWriteArrayList<>();
    vertx.createHttpServer()
        .requestHandler(req -> {
          seen.add(req.method() + " " + req.uri());
          hostHeaders.add(req.getHeader("Host"));
          daemonPing(req);
        })
        .listen(SocketAddress.domainSocketAddress(socket))
        .compose(server -> checker.check(BackendHost.of("local", "unix://" + socket)))
        .onComplete(ctx.succeeding(state -> ctx.verify(() -> {
          assertThat(state).isEqualTo(HostState.UP);
          assertThat(seen).containsExactly("GET /_ping");
          assertThat(hostHeaders).containsExactly("docker");
          ctx.completeNow();
        })));
  }

  @Test
  void missingSocketFile_isDown(VertxTestContext ctx) {
    checker.check(BackendHost.of("nosock", "unix:///nonexistent/portcullis-test/docker.sock"))
        .onComplete(ctx.succeeding(state -> ctx.verify(() -> {
          assertThat(state).isEqualTo(HostState.DOWN);
          ctx.completeNow();
        })));
  }
}
