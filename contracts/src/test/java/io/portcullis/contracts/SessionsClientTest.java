package io.portcullis.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Two fake edge instances on the bus answer the published questions as the gateway's do. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
class SessionsClientTest {
  static LiveSession session(String id, String openedAt) {
    return new LiveSession(id, "n1:2376", "alice", "POST /containers/{id}/attach", "c1", openedAt, 3, 5);
  }

  /** An edge instance holding {@code held}: it lists them, and ends the one asked for if it has it. */
  static Future<Void> edge(Vertx vertx, List<LiveSession> held) {
    Future<Void> list = vertx.eventBus().<JsonObject>consumer(Addresses.EDGE_SESSIONS_LIST, msg -> vertx.eventBus().send(
        msg.body().getString("replyTo"), new JsonObject().put("sessions", new JsonArray(held.stream().map(LiveSession::toJson).toList()))))
        .completion();
    Future<Void> end = vertx.eventBus().<JsonObject>consumer(Addresses.EDGE_SESSIONS_END, msg -> held.stream()
        .filter(s -> s.id().equals(msg.body().getString("id"))).findFirst()
        .ifPresent(s -> vertx.eventBus().send(msg.body().getString("replyTo"), new JsonObject().put("ended", s.toJson()))))
        .completion();
    return Future.join(list, end).mapEmpty();
  }

  @Test
  void list_gathersEveryEdgesSessions_oldestFirst(Vertx vertx, VertxTestContext test) {
    SessionsClient client = new SessionsClient(vertx, 200);
    Future.join(edge(vertx, List.of(session("b-1", "2025-01-02T00:00:00Z"))), edge(vertx, List.of(session("a-1", "2025-01-01T00:00:00Z"))))
        .compose(v -> client.list())
        .onComplete(test.succeeding(list -> test.verify(() -> {
          assertThat(list).extracting(LiveSession::id).containsExactly("a-1", "b-1");
          assertThat(list.get(0).backendToClientBytes()).isEqualTo(5);
          test.completeNow();
        })));
  }

  @Test
  void end_answersAsSoonAsTheHolderDoes_andAnUnknownIdIs404(Vertx vertx, VertxTestContext test) {
    SessionsClient client = new SessionsClient(vertx, 2_000);
    long started = System.nanoTime();
    edge(vertx, List.of(session("a-1", "2025-01-01T00:00:00Z")))
        .compose(v -> client.end("a-1"))
        .onComplete(test.succeeding(ended -> test.verify(() -> {
          assertThat(ended.id()).isEqualTo("a-1");
          assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).as("not the whole window").isLessThan(1_500);
        })))
        .compose(v -> new SessionsClient(vertx, 100).end("zz-9"))
        .onComplete(test.failing(err -> test.verify(() -> {
          assertThat(((ApiException) err).status()).isEqualTo(404);
          test.completeNow();
        })));
  }
}
