package io.portcullis.contracts;

/**
 * The one failure type on a request path: an HTTP status and a message the docker CLI can print.
 * Event-bus endpoints reply with {@code message.fail(status, message)}; the typed clients turn that
 * back into an ApiException, so a failure keeps its status across the bus.
 */
public final class ApiException extends RuntimeException {
  private final int status;
  private final String rule;

  public ApiException(int status, String message) {
    this(status, message, null);
  }

  private ApiException(int status, String message, String rule) {
    super(message, null, false, false);
    this.status = status;
    this.rule = rule;
  }

  public int status() {
    return status;
  }

  /**
   * The policy rule or quota that refused the call (a bounded name such as {@code privileged} or
   * {@code quota:maxContainers}, a metric label), or null when no rule of the gateway's did.
   */
  public String rule() {
    return rule;
  }

  /** The same refusal, naming the rule that made it. */
  public ApiException byRule(String ruleName) {
    return new ApiException(status, getMessage(), ruleName);
  }

  public static ApiException badRequest(String message) {
    return new ApiException(400, message);
  }

  public static ApiException unauthorized(String message) {
    return new ApiException(401, message);
  }

  public static ApiException forbidden(String message) {
    return new ApiException(403, message);
  }

  public static ApiException notFound(String message) {
    return new ApiException(404, message);
  }

  public static ApiException badGateway(String message) {
    return new ApiException(502, message);
  }

  public static ApiException unavailable(String message) {
    return new ApiException(503, message);
  }

  public static ApiException gatewayTimeout(String message) {
    return new ApiException(504, message);
  }
}
