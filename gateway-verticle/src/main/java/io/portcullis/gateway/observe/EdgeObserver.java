package io.portcullis.gateway.observe;

import io.micrometer.core.instrument.Counter;
import java.util.concurrent.TimeUnit;

/**
 * Turns what the edge saw of a call or a session into meters and an audit line. One per edge verticle
 * instance (meters and the audit writer are the process's).
 */
public final class EdgeObserver {
  private final String node;
  private final AuditLog audit;

  /** {@code audit} null: no audit log. */
  public EdgeObserver(String node, AuditLog audit) {
    this.node = node;
    this.audit = audit;
    EdgeMeters.initialise();
  }

  /** A meter for a new client connection, counted as open until {@link #connectionClosed}. */
  public CallMeter connectionOpened(boolean tls) {
    EdgeMeters.activeConnections.incrementAndGet();
    if (tls) {
      handshake("ok").increment();
    }
    return new CallMeter(this);
  }

  public void connectionClosed() {
    EdgeMeters.activeConnections.decrementAndGet();
  }

  /** A TLS handshake that failed before a connection was accepted. */
  public static void handshakeFailed() {
    handshake("failed").increment();
  }

  private static Counter handshake(String outcome) {
    return EdgeMeters.counter(EdgeMeters.TLS_HANDSHAKES, EdgeMeters.TLS_HELP, "outcome", outcome);
  }

  /** The call is over (answered, refused, failed, hijacked or abandoned): counted and audited once. */
  public void finished(CallRecord call) {
    if (call.finished) {
      return;
    }
    call.finished = true;
    long nanos = System.nanoTime() - call.startNanos;
    String statusClass = call.statusClass();
    EdgeMeters.CallMeters meters = EdgeMeters.call(call.family, call.method, statusClass);
    meters.requests().increment();
    meters.duration().record(nanos, TimeUnit.NANOSECONDS);
    if (call.bytesIn > 0) {
      EdgeMeters.bytesIn.increment(call.bytesIn);
    }
    if (call.bytesOut > 0) {
      EdgeMeters.bytesOut.increment(call.bytesOut);
    }
    if (call.rule != null && call.rule.startsWith("limit:")) {
      EdgeMeters.counter(EdgeMeters.LIMIT_REFUSALS, EdgeMeters.LIMIT_REFUSALS_HELP, "limit", call.rule.substring(6)).increment();
    } else if (call.rule != null) {
      EdgeMeters.counter(EdgeMeters.POLICY_REFUSALS, EdgeMeters.POLICY_REFUSALS_HELP, "rule", call.rule).increment();
    }
    if (call.host != null && !call.host.equals("*")) {
      EdgeMeters.HostCounters host = EdgeMeters.host(call.host);
      boolean backendFailed = call.broken || (call.answeredByGateway && call.status >= 502 && call.status <= 504);
      // A refusal by the gateway (policy, quota, ownership) never reached the daemon.
      if (!call.answeredByGateway || backendFailed) {
        host.requests(statusClass).increment();
      }
      if (backendFailed) {
        host.errors(call.broken ? 502 : call.status).increment();
      }
    }
    if (audit != null) {
      // The record is not changed once finished: the writer thread formats it.
      long durationMs = TimeUnit.NANOSECONDS.toMillis(nanos);
      audit.write(() -> line("call", call, call.startMillis).text("outcome", call.outcome()).number("status", call.status)
          .number("bytesIn", call.bytesIn).number("bytesOut", call.bytesOut).number("durationMs", durationMs).end());
    }
  }

  /** The call became a hijacked session. */
  public SessionRecord sessionOpened(CallRecord call) {
    call.hijacked = true;
    EdgeMeters.activeSessions.incrementAndGet();
    EdgeMeters.counter(EdgeMeters.SESSIONS_OPENED, "hijacked sessions opened, by endpoint family", "family", call.family).increment();
    if (audit != null) {
      long openedAt = System.currentTimeMillis();
      int status = call.status;
      audit.write(() -> line("session-open", call, openedAt).number("status", status).end());
    }
    return new SessionRecord(call);
  }

  /** The session ended; its client connection (which the splice owned) closed with it. */
  public void sessionClosed(SessionRecord session) {
    EdgeMeters.activeSessions.decrementAndGet();
    connectionClosed();
    flushSessionBytes(session);
    if (audit != null) {
      long closedAt = System.currentTimeMillis();
      long toBackend = session.toBackend;
      long toClient = session.toClient;
      long durationMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - session.openedNanos);
      audit.write(() -> line("session-close", session.call, closedAt)
          .number("bytesIn", toBackend).number("bytesOut", toClient).number("durationMs", durationMs).end());
    }
  }

  /** Adds what a session moved since the last flush to the byte counters. */
  void flushSessionBytes(SessionRecord session) {
    long toBackend = session.toBackend - session.flushedToBackend;
    long toClient = session.toClient - session.flushedToClient;
    if (toBackend > 0) {
      EdgeMeters.splicedToBackend.increment(toBackend);
    }
    if (toClient > 0) {
      EdgeMeters.splicedToClient.increment(toClient);
    }
    session.flushedToBackend = session.toBackend;
    session.flushedToClient = session.toClient;
  }

  /** The fields every audit line has; no bodies, no query strings, no credentials beyond a fingerprint. */
  private AuditLine line(String event, CallRecord call, long atMillis) {
    return new AuditLine()
        .time("time", atMillis)
        .text("event", event)
        .text("requestId", call.requestId)
        .text("node", node)
        .text("tenant", call.tenant)
        .text("fingerprint", call.fingerprint)
        .text("method", call.method)
        .text("endpoint", call.family)
        .text("path", call.path)
        .text("object", call.object)
        .text("host", call.host)
        .text("rule", call.rule);
  }

}
