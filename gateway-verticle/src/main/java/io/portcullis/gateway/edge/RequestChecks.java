package io.portcullis.gateway.edge;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.portcullis.contracts.ApiException;
import io.portcullis.gateway.classify.ApiCall;
import java.util.List;

/** Requests refused on their head alone, before anything else is done for them. */
final class RequestChecks {
  /**
   * Below 1.24 the daemon still applies a {@code HostConfig} sent with {@code POST /containers/{id}/start},
   * a second create-time configuration the policy would never see. Docker answers the same 400 to a
   * client older than its minimum.
   */
  static final int MIN_API_MINOR = 24;

  private RequestChecks() {}

  /** The refusal for a request that must not be forwarded, or null. */
  static ApiException refusal(HttpRequest request, ApiCall call) {
    List<String> encodings = request.headers().getAll(HttpHeaderNames.TRANSFER_ENCODING);
    if (encodings.size() > 1 || (encodings.size() == 1 && !encodings.get(0).trim().equalsIgnoreCase("chunked"))) {
      // Anything but one plain "chunked" is read differently by different parsers (request smuggling).
      return ApiException.badRequest("unsupported Transfer-Encoding: " + String.join(", ", encodings));
    }
    String version = call.apiVersion();
    if (version != null) {
      String[] parts = version.split("\\.");
      boolean old;
      try {
        old = Integer.parseInt(parts[0]) < 1 || (Integer.parseInt(parts[0]) == 1 && Integer.parseInt(parts[1]) < MIN_API_MINOR);
      } catch (RuntimeException e) {
        old = true;
      }
      if (old) {
        return ApiException.badRequest("client version " + version + " is too old. Minimum supported API version is 1."
            + MIN_API_MINOR + ", please upgrade your client to a newer version");
      }
    }
    return null;
  }
}
