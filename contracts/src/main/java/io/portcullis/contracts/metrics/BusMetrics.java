package io.portcullis.contracts.metrics;

import io.micrometer.core.instrument.Timer;
import io.vertx.core.Future;
import io.vertx.core.eventbus.ReplyException;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Times event-bus requests by address and outcome ({@code portcullis_bus_request_duration_seconds}):
 * the latency an edge pays for identify, route, locate and place, wherever in the cluster they are
 * answered.
 */
public final class BusMetrics {
  public static final String REQUEST_DURATION = "portcullis.bus.request.duration";
  private static final Duration[] BUCKETS = {Duration.ofNanos(250_000), Duration.ofMillis(1), Duration.ofMillis(2),
      Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100),
      Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(5)};
  private static final ConcurrentHashMap<String, Timer> TIMERS = new ConcurrentHashMap<>();

  private BusMetrics() {}

  /** Records how long {@code reply} took from {@code startNanos}, when it completes. */
  public static <T> Future<T> timed(String address, long startNanos, Future<T> reply) {
    return reply.andThen(ar -> timer(address, ar.succeeded() ? "ok" : outcome(ar.cause()))
        .record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS));
  }

  /** ok, or why not: timeout, no_handlers, refused (the service answered with a failure), error. */
  private static String outcome(Throwable err) {
    if (err instanceof ReplyException reply) {
      return switch (reply.failureType()) {
        case TIMEOUT -> "timeout";
        case NO_HANDLERS -> "no_handlers";
        case RECIPIENT_FAILURE -> "refused";
        default -> "error";
      };
    }
    return "error";
  }

  private static Timer timer(String address, String outcome) {
    return TIMERS.computeIfAbsent(address + '|' + outcome, k -> Timer.builder(REQUEST_DURATION)
        .description("event-bus request latency by address and outcome")
        .tag("address", address).tag("outcome", outcome)
        .serviceLevelObjectives(BUCKETS)
        .register(NodeMetrics.registry()));
  }
}
