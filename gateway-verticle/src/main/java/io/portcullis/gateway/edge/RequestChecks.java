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
  /** More query parameters than this are refused: parsers disagree on where to stop. */
  static final int MAX_QUERY_PARAMETERS = 1000;

  static ApiException refusal(HttpRequest request, ApiCall call) {
    String target = request.uri();
    if (target.indexOf('#') >= 0) {
      // A fragment is never sent by a client; Netty's query decoder stops at '#', Go's does not.
      return ApiException.badRequest("a request target may not contain '#'");
    }
    int query = target.indexOf('?');
    if (query >= 0 && target.chars().skip(query).filter(c -> c == '&' || c == ';').count() >= MAX_QUERY_PARAMETERS) {
      return ApiException.badRequest("too many query parameters (at most " + MAX_QUERY_PARAMETERS + ")");
    }
    List<String> encodings = request.headers().getAll(HttpHeaderNames.TRANSFER_ENCODING);
    if (encodings.size() > 1 || (encodings.size() == 1 && !encodings.get(0).trim().equalsIgnoreCase("chunked"))) {
      // Anything but one plain "chunked" is read differently by different parsers (request smuggling).
      return ApiException.badRequest("unsupported Transfer-Encoding: " + String.join(", ", encodings));
    }
    if (!encodings.isEmpty() && request.headers().contains(HttpHeaderNames.CONTENT_LENGTH)) {
      // The decoder fails this for HTTP/1.1 (EdgeHttpCodec); an HTTP/1.0 request keeps both headers.
      return ApiException.badRequest("both Content-Length and Transfer-Encoding: chunked (request smuggling)");
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
