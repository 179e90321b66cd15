package io.portcullis.gateway.edge;

import io.vertx.core.Future;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * A service's recent answers, kept for a short time so that the request path does not cost an
 * event-bus round trip each time. A pending answer is shared by everyone asking meanwhile; a failed one
 * is not kept. One instance per event loop: no locking.
 */
final class AnswerCache<K, V> {
  private record Cached<V>(Future<V> answer, long expiresAt) {}

  private final long ttlMs;
  private final LongSupplier clock;
  private final Map<K, Cached<V>> answers = new HashMap<>();

  AnswerCache(long ttlMs, LongSupplier clock) {
    this.ttlMs = ttlMs;
    this.clock = clock;
  }

  Future<V> get(K key, Supplier<Future<V>> ask) {
    long now = clock.getAsLong();
    Cached<V> cached = answers.get(key);
    if (cached != null && now < cached.expiresAt() && !cached.answer().failed()) {
      return cached.answer();
    }
    Future<V> answer = ask.get();
    if (ttlMs > 0) {
      Cached<V> entry = new Cached<>(answer, now + ttlMs);
      answers.put(key, entry);
      // A refusal is not kept: it would only fill the map (one entry per unknown certificate).
      answer.onFailure(err -> answers.remove(key, entry));
      if (answers.size() > 4096) {
        answers.values().removeIf(c -> c.expiresAt() <= now);
      }
    }
    return answer;
  }

  void clear() {
    answers.clear();
  }
}
