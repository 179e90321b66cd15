package io.portcullis.contracts;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * Asks every edge instance of the cluster about its hijacked sessions. Nobody knows how many instances
 * there are, so a question is published with a reply address of its own and the answers are collected
 * for {@code windowMs} (or until one answer settles it); an instance that is slower than that is left out
 * of this answer. Call from a Vert.x context: the answers and the timer arrive on it.
 */
public final class SessionsClient {
  private final Vertx vertx;
  private final long windowMs;

  public SessionsClient(Vertx vertx, long windowMs) {
    this.vertx = vertx;
    this.windowMs = windowMs;
  }

  /** The open sessions of every edge that answered in time, oldest first. */
  public Future<List<LiveSession>> list() {
    return gather(Addresses.EDGE_SESSIONS_LIST, new JsonObject(), answer -> false).map(answers -> answers.stream()
        .flatMap(a -> a.getJsonArray("sessions", new JsonArray()).stream())
        .map(o -> LiveSession.fromJson((JsonObject) o))
        .sorted(Comparator.comparing(LiveSession::openedAt).thenComparing(LiveSession::id))
        .toList());
  }

  /** Ends the session wherever it lives; fails with 404 when no edge holds it. */
  public Future<LiveSession> end(String id) {
    return gather(Addresses.EDGE_SESSIONS_END, new JsonObject().put("id", id), answer -> answer.containsKey("ended"))
        .compose(answers -> answers.stream().filter(a -> a.containsKey("ended")).findFirst()
            .map(a -> Future.succeededFuture(LiveSession.fromJson(a.getJsonObject("ended"))))
            .orElseGet(() -> Future.failedFuture(ApiException.notFound("no live session " + id))));
  }

  private Future<List<JsonObject>> gather(String address, JsonObject question, Predicate<JsonObject> settles) {
    String replyTo = "portcullis.edge.sessions.answers." + UUID.randomUUID();
    List<JsonObject> answers = new ArrayList<>();
    Promise<List<JsonObject>> done = Promise.promise();
    MessageConsumer<JsonObject> consumer = vertx.eventBus().consumer(replyTo, msg -> {
      answers.add(msg.body());
      if (settles.test(msg.body())) {
        done.tryComplete(List.copyOf(answers));
      }
    });
    // Published only once the reply address is known cluster-wide, or a remote edge's answer could be lost.
    return consumer.completion().compose(registered -> {
      vertx.eventBus().publish(address, question.copy().put("replyTo", replyTo));
      long timer = vertx.setTimer(windowMs, t -> done.tryComplete(List.copyOf(answers)));
      return done.future().eventually(() -> {
        vertx.cancelTimer(timer);
        return consumer.unregister();
      });
    });
  }
}
