package io.portcullis.gateway.observe;

/** A hijacked session (attach, exec, a BuildKit stream) from its splice to its close. */
public final class SessionRecord {
  final CallRecord call;
  final long openedNanos = System.nanoTime();
  long toBackend;
  long toClient;
  /** What of toBackend and toClient the byte counters already have. */
  long flushedToBackend;
  long flushedToClient;

  SessionRecord(CallRecord call) {
    this.call = call;
  }
}
