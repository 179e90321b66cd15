package io.portcullis.registry.placement;

/**
 * Placement refused: no host can take this create. The reason is written for the tenant (it ends up
 * in Docker's {@code {"message": ...}}), and the status says whether waiting can help: 503 when hosts
 * may come back or free up, 409 when the request contradicts where the tenant's own objects already are.
 */
public final class PlacementException extends RuntimeException {
  private final int status;

  private PlacementException(int status, String reason) {
    // No stack trace: a refusal is an answer, not a bug.
    super(reason, null, false, false);
    this.status = status;
  }

  static PlacementException unavailable(String reason) {
    return new PlacementException(503, reason);
  }

  static PlacementException conflict(String reason) {
    return new PlacementException(409, reason);
  }

  public String reason() {
    return getMessage();
  }

  /** 503 (no host now, may change) or 409 (the request conflicts with where its objects are). */
  public int status() {
    return status;
  }
}
