package io.portcullis.gateway.limits;

import java.util.function.LongSupplier;

/**
 * A token bucket: {@code ratePerSecond} tokens a second, at most {@code capacity} kept. Shared by the
 * event loops of a node (one tenant's connections may sit on several), so taking is synchronized; the
 * critical section is a few arithmetic operations.
 */
final class TokenBucket {
  private final double ratePerNano;
  private final double capacity;
  private final LongSupplier nanoClock;
  private double tokens;
  private long last;

  TokenBucket(int ratePerSecond, int capacity, LongSupplier nanoClock) {
    this.ratePerNano = ratePerSecond / 1e9;
    this.capacity = Math.max(1, capacity);
    this.nanoClock = nanoClock;
    this.tokens = this.capacity;
    this.last = nanoClock.getAsLong();
  }

  /** Takes one token if there is one. */
  synchronized boolean tryTake() {
    long now = nanoClock.getAsLong();
    tokens = Math.min(capacity, tokens + (now - last) * ratePerNano);
    last = now;
    if (tokens >= 1) {
      tokens -= 1;
      return true;
    }
    return false;
  }
}
