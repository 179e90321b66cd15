package io.portcullis.gateway.edge;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.internal.ContextInternal;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One tenant's container creates (on one host, or anywhere when it spans hosts) one after the other,
 * across the cluster: the count of its containers is taken when the previous create has been
 * answered, so that parallel creates, through one node or several, cannot all pass a
 * {@code maxContainers} quota they would exceed together. On a node, a queue shared by every event
 * loop (turns handed over on each waiter's own context); between nodes, a cluster-wide lock per queue
 * taken in the node's turn. A create that never reports its end (a bug) or a lock not granted holds
 * the queue for {@link #MAX_TURN_MS} at most.
 */
final class CreateQueue {
  static final long MAX_TURN_MS = 30_000;
  private static final ConcurrentHashMap<String, Future<Void>> TAILS = new ConcurrentHashMap<>();

  private CreateQueue() {}

  /**
   * Joins the queue for {@code key}; the returned future completes when it is this create's turn.
   * {@code finished} must complete when this create is over (answered, refused or abandoned).
   */
  static Future<Void> enter(String key, ContextInternal context, Future<Void> finished) {
    Future<Void>[] previous = new Future[1];
    TAILS.compute(key, (k, tail) -> {
      previous[0] = tail;
      return finished;
    });
    finished.onComplete(ar -> TAILS.remove(key, finished));
    Promise<Void> turn = context.promise();
    if (previous[0] == null || previous[0].isComplete()) {
      turn.complete();
    } else {
      long timer = context.owner().setTimer(MAX_TURN_MS, id -> turn.tryComplete());
      previous[0].onComplete(ar -> {
        context.owner().cancelTimer(timer);
        turn.tryComplete();
      });
    }
    return turn.future().compose(v -> clusterTurn(key, context, finished));
  }

  /** The node's turn, then the cluster's: the lock is held until this create is over. */
  private static Future<Void> clusterTurn(String key, ContextInternal context, Future<Void> finished) {
    return context.owner().sharedData().getLockWithTimeout("portcullis.create." + key, MAX_TURN_MS)
        .map(lock -> {
          finished.onComplete(ar -> lock.release());
          return (Void) null;
        })
        // Not granted in time (a partition, a holder that never ends): go on, as the node's queue does.
        .otherwiseEmpty();
  }
}
