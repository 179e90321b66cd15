package io.portcullis.gateway.observe;

/**
 * What is known of one call while it is served, filled in as the edge learns it (the head, the
 * tenant, the host, the status the client was sent, the bytes each way) and read once when the call
 * ends, for the meters and the audit log. One per request; touched only on its connection's event loop.
 */
public final class CallRecord {
  final String requestId;
  final long startNanos;
  final long startMillis;
  final String method;
  String family = "unclassified";
  String path;
  String object;
  String tenant;
  String fingerprint;
  String host;
  /** The status of the response head sent to the client (0: none was sent). */
  int status;
  /** Set when the gateway answered itself with an error (refusal, or a failure to reach a host). */
  boolean answeredByGateway;
  /** The policy rule or quota that refused it, if one did. */
  String rule;
  boolean hijacked;
  /** The daemon or the gateway broke off an answer already under way (the client saw a cut). */
  boolean broken;
  long bytesIn;
  long bytesOut;
  boolean finished;

  public CallRecord(String requestId, String method) {
    this.requestId = requestId;
    this.method = method;
    this.startNanos = System.nanoTime();
    this.startMillis = System.currentTimeMillis();
  }

  public String requestId() {
    return requestId;
  }

  public void classified(String callFamily, String callPath, String objectId) {
    family = callFamily;
    path = callPath;
    object = objectId;
  }

  public void identified(String tenantId, String certificateFingerprint) {
    tenant = tenantId;
    fingerprint = certificateFingerprint;
  }

  /** Body bytes the client sent for this call. */
  public void addBytesIn(int bytes) {
    bytesIn += bytes;
  }

  /** The answer was under way when the backend failed or the gateway had to cut it. */
  public void brokenMidResponse() {
    broken = true;
  }

  /** The backend host the call went to ({@code *} for a call merged from several). */
  public void host(String name) {
    host = name;
  }

  public String host() {
    return host;
  }

  /** The status of the head sent for a hijack (written before the meter counts the session). */
  public void status(int code) {
    status = code;
  }

  /** The gateway answered with an error of its own; {@code ruleName} when a policy rule or quota refused. */
  public void refusedByGateway(String ruleName) {
    answeredByGateway = true;
    rule = ruleName;
  }

  /**
   * How the call ended for the audit log: {@code forwarded} (the daemon's answer, whatever its status),
   * {@code hijacked}, {@code refused} (the gateway said no: 4xx), {@code failed} (the gateway could not
   * serve it: 5xx), {@code aborted} (the client went away before an answer).
   */
  String outcome() {
    if (hijacked) {
      return "hijacked";
    }
    if (broken) {
      return "failed";
    }
    if (answeredByGateway) {
      return status >= 500 ? "failed" : "refused";
    }
    return status == 0 ? "aborted" : "forwarded";
  }

  /** The status class for meters: 2xx..5xx, hijacked, or aborted. */
  String statusClass() {
    if (hijacked) {
      return "hijacked";
    }
    return switch (status / 100) {
      case 1, 2 -> "2xx";
      case 3 -> "3xx";
      case 4 -> "4xx";
      case 5 -> "5xx";
      default -> "aborted";
    };
  }
}
