package io.portcullis.gateway.observe;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.portcullis.contracts.metrics.NodeMetrics;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The edge's meters, one set per process (every edge verticle instance counts into the same ones).
 * Looked up by bounded keys and cached, so a finished call costs a few array reads and adds.
 */
final class EdgeMeters {
  static final String REQUEST_DURATION = "portcullis.request.duration";
  static final String REQUESTS = "portcullis.requests";
  static final String HTTP_BYTES = "portcullis.http.body";
  static final String SESSIONS_ACTIVE = "portcullis.sessions.active";
  static final String SESSIONS_OPENED = "portcullis.sessions.opened";
  static final String SPLICED_BYTES = "portcullis.spliced";
  static final String CONNECTIONS_ACTIVE = "portcullis.connections.active";
  static final String TLS_HANDSHAKES = "portcullis.tls.handshakes";
  static final String POLICY_REFUSALS = "portcullis.policy.refusals";
  static final String BACKEND_REQUESTS = "portcullis.backend.requests";
  static final String BACKEND_ERRORS = "portcullis.backend.errors";
  static final String LIMIT_REFUSALS = "portcullis.limit.refusals";
  static final String LIMIT_REFUSALS_HELP = "calls refused by a limit of the node (connections, sessions, rate, head timeout)";

  private static final String[] METHODS = {"GET", "POST", "PUT", "DELETE", "HEAD", "OTHER"};
  private static final String[] STATUS = {"2xx", "3xx", "4xx", "5xx", "hijacked", "aborted"};
  private static final Duration[] BUCKETS = {Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(10),
      Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
      Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30)};

  static final AtomicLong activeSessions = new AtomicLong();
  static final AtomicLong activeConnections = new AtomicLong();

  private static final MeterRegistry registry = NodeMetrics.registry();
  private static final ConcurrentHashMap<String, CallMeters[]> calls = new ConcurrentHashMap<>();
  private static final ConcurrentHashMap<String, Counter> counters = new ConcurrentHashMap<>();
  static final Counter bytesIn = Counter.builder(HTTP_BYTES).baseUnit("bytes").tag("direction", "in")
      .description("request and response body bytes of plain (not hijacked) calls").register(registry);
  static final Counter bytesOut = Counter.builder(HTTP_BYTES).baseUnit("bytes").tag("direction", "out")
      .description("request and response body bytes of plain (not hijacked) calls").register(registry);
  static final Counter splicedToBackend = Counter.builder(SPLICED_BYTES).baseUnit("bytes").tag("direction", "to_backend")
      .description("bytes moved by hijacked sessions").register(registry);
  static final Counter splicedToClient = Counter.builder(SPLICED_BYTES).baseUnit("bytes").tag("direction", "to_client")
      .description("bytes moved by hijacked sessions").register(registry);

  static {
    Gauge.builder(SESSIONS_ACTIVE, activeSessions, AtomicLong::get)
        .description("hijacked sessions (attach, exec, BuildKit) open on this node").register(registry);
    Gauge.builder(CONNECTIONS_ACTIVE, activeConnections, AtomicLong::get)
        .description("tenant connections open on this node").register(registry);
  }

  private EdgeMeters() {}

  static final String POLICY_REFUSALS_HELP = "calls refused by a policy rule or quota";
  static final String BACKEND_ERRORS_HELP = "calls a backend host failed (502 bad answer, 503 unavailable, 504 no answer in time)";
  static final String TLS_HELP = "TLS handshakes on the tenants' listener";

  /**
   * Counters whose labels are known in advance start at zero, so that rates and alerts see a series
   * before the first event (Prometheus's advice): handshake outcomes, every policy rule and quota.
   */
  static void initialise() {
    counter(TLS_HANDSHAKES, TLS_HELP, "outcome", "ok");
    counter(TLS_HANDSHAKES, TLS_HELP, "outcome", "failed");
    for (String rule : io.portcullis.gateway.policy.CreatePolicy.RULES) {
      counter(POLICY_REFUSALS, POLICY_REFUSALS_HELP, "rule", rule);
    }
    for (String rule : java.util.List.of("unlisted-call", "refused-call", "quota:maxContainers", "quota:maxMemoryBytes",
        "quota:maxCpus", "quota:maxPids")) {
      counter(POLICY_REFUSALS, POLICY_REFUSALS_HELP, "rule", rule);
    }
    for (String limit : java.util.List.of("node-connections", "tenant-connections", "node-sessions", "tenant-sessions",
        "tenant-rate", "head-timeout", "request-line", "header-size", "body-size")) {
      counter(LIMIT_REFUSALS, LIMIT_REFUSALS_HELP, "limit", limit);
    }
  }

  private static final ConcurrentHashMap<String, HostCounters> hosts = new ConcurrentHashMap<>();

  /**
   * One backend host's counters, made the first time a call goes to it (its error counters at zero
   * then), so that a call finds them with one map lookup and no string building.
   */
  static HostCounters host(String name) {
    return hosts.computeIfAbsent(name, HostCounters::new);
  }

  static final class HostCounters {
    private final String host;
    /** Made on first use; two event loops racing register it twice, harmlessly (Micrometer returns the registered one). */
    private final Counter[] requests = new Counter[STATUS.length];
    private final Counter[] errors = new Counter[3];

    private HostCounters(String host) {
      this.host = host;
      for (int i = 0; i < errors.length; i++) {
        errors[i] = Counter.builder(BACKEND_ERRORS).description(BACKEND_ERRORS_HELP)
            .tag("host", host).tag("status", Integer.toString(502 + i)).register(registry);
      }
    }

    Counter requests(String statusClass) {
      int s = index(STATUS, statusClass, STATUS.length - 1);
      Counter c = requests[s];
      if (c == null) {
        c = Counter.builder(BACKEND_REQUESTS).description("calls sent to a backend host, by the status class of the answer")
            .tag("host", host).tag("status", STATUS[s]).register(registry);
        requests[s] = c;
      }
      return c;
    }

    /** {@code status} 502, 503 or 504. */
    Counter errors(int status) {
      return errors[Math.max(0, Math.min(2, status - 502))];
    }
  }

  /** The request counter and latency timer of one family, method and status class. */
  record CallMeters(Counter requests, Timer duration) {}

  static CallMeters call(String family, String method, String statusClass) {
    CallMeters[] byMethodAndStatus = calls.computeIfAbsent(family, f -> new CallMeters[METHODS.length * STATUS.length]);
    int m = index(METHODS, method, METHODS.length - 1);
    int s = index(STATUS, statusClass, STATUS.length - 1);
    int at = m * STATUS.length + s;
    CallMeters meters = byMethodAndStatus[at];
    if (meters == null) {
      meters = new CallMeters(
          Counter.builder(REQUESTS).description("calls served, by endpoint family, method and status class")
              .tag("family", family).tag("method", METHODS[m]).tag("status", STATUS[s]).register(registry),
          Timer.builder(REQUEST_DURATION).description("time from a call's head to its answer's end (to the splice for a hijack)")
              .tag("family", family).tag("method", METHODS[m]).tag("status", STATUS[s])
              .serviceLevelObjectives(BUCKETS).register(registry));
      byMethodAndStatus[at] = meters;
    }
    return meters;
  }

  static Counter counter(String name, String description, String tagKey, String tagValue) {
    return counters.computeIfAbsent(name + '|' + tagKey + '|' + tagValue,
        k -> Counter.builder(name).description(description).tag(tagKey, tagValue).register(registry));
  }

  private static int index(String[] values, String value, int otherwise) {
    for (int i = 0; i < values.length; i++) {
      if (values[i].equals(value)) {
        return i;
      }
    }
    return otherwise;
  }
}
