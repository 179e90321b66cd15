package io.portcullis.contracts;

import io.vertx.core.Future;
import io.vertx.core.eventbus.ReplyException;

/** Maps event-bus failures to {@link ApiException}s: a missing or silent service is a 503, never an allow. */
public final class BusReplies {
  private BusReplies() {}

  public static <T> Future<T> mapFailure(Future<T> reply, String service) {
    return reply.recover(err -> Future.failedFuture(toApiException(err, service)));
  }

  static ApiException toApiException(Throwable err, String service) {
    if (err instanceof ApiException api) {
      return api;
    }
    if (err instanceof ReplyException reply) {
      switch (reply.failureType()) {
        case NO_HANDLERS:
          return ApiException.unavailable(service + " service is not running");
        case TIMEOUT:
          return ApiException.unavailable(service + " service did not answer in time");
        case RECIPIENT_FAILURE:
        default:
          int code = reply.failureCode();
          return new ApiException(code >= 400 && code <= 599 ? code : 500, reply.getMessage());
      }
    }
    return new ApiException(500, service + " service failed");
  }
}
