package io.portcullis.gateway.edge;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * RFC 9110 section 7.6.1: headers that describe one connection, not the message, are not forwarded.
 * The body framing headers ({@code Content-Length}, {@code Transfer-Encoding}) stay, because bodies are
 * forwarded chunk by chunk with the framing they arrived with. On a call that is allowed to hijack,
 * {@code Upgrade} and {@code Connection: Upgrade} are kept: the daemon needs them to answer
 * {@code 101 UPGRADED}, and the client needs them back.
 */
final class HopByHopHeaders {
  private static final List<CharSequence> ALWAYS = List.of(
      HttpHeaderNames.KEEP_ALIVE, HttpHeaderNames.PROXY_CONNECTION, HttpHeaderNames.TE,
      HttpHeaderNames.TRAILER, HttpHeaderNames.PROXY_AUTHENTICATE, HttpHeaderNames.PROXY_AUTHORIZATION);

  private HopByHopHeaders() {}

  static void strip(HttpHeaders headers, boolean keepUpgrade) {
    List<String> named = new ArrayList<>(2);
    for (String value : headers.getAll(HttpHeaderNames.CONNECTION)) {
      for (String token : value.split(",")) {
        String name = token.trim().toLowerCase(Locale.ROOT);
        if (!name.isEmpty()) {
          named.add(name);
        }
      }
    }
    // An Upgrade header counts only when Connection names it (RFC 9110 section 7.8).
    boolean upgrade = keepUpgrade && headers.contains(HttpHeaderNames.UPGRADE) && named.contains("upgrade");
    for (String name : named) {
      if (upgrade && name.equals("upgrade")) {
        continue;
      }
      if (name.equals("content-length") || name.equals("transfer-encoding") || name.equals("host")) {
        continue; // never let a client make framing or routing headers disappear
      }
      headers.remove(name);
    }
    headers.remove(HttpHeaderNames.CONNECTION);
    for (CharSequence name : ALWAYS) {
      headers.remove(name);
    }
    if (upgrade) {
      headers.set(HttpHeaderNames.CONNECTION, "Upgrade");
    } else {
      headers.remove(HttpHeaderNames.UPGRADE);
    }
  }
}
