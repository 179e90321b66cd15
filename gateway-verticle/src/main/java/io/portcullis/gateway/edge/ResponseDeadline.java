package io.portcullis.gateway.edge;

import io.portcullis.gateway.classify.ApiCall;
import io.portcullis.gateway.classify.StreamMode;
import io.portcullis.gateway.rewrite.RequestTargets;

/**
 * How long a backend may take to send the response head of a call, counted from the moment the
 * request (head and whole body) is written to it; beyond that the call gets {@code 504}. Decided per
 * call, because some calls legitimately take long before or while answering:
 *
 * <ul>
 *   <li>streams ({@link StreamMode#STREAMING}: {@code wait}, {@code logs -f}, {@code events},
 *   {@code stats}, pull, push, build, load) and hijacks (attach, exec start, BuildKit): no deadline. The
 *   daemon sends their heads at once, but a build's head waits for its whole context to be unpacked
 *   and a pull's for the registry; what follows the head is unbounded by design. A daemon that dies
 *   under them closes its socket (or TCP keepalive notices a vanished host);</li>
 *   <li>plain calls: the configured deadline; the time a large upload ({@code cp} in) takes to send
 *   is not counted, since the clock starts when the request is all written;</li>
 *   <li>{@code stop} and {@code restart}: the configured deadline plus the grace period the call asks for
 *   ({@code t} seconds; {@code t=-1}, wait for ever, has none). Without {@code t} the daemon uses the
 *   container's own stop timeout (10 s unless it was created with {@code --stop-timeout}).</li>
 * </ul>
 */
final class ResponseDeadline {
  private ResponseDeadline() {}

  /** The deadline in milliseconds, or 0 for none. */
  static long millisFor(ApiCall call, String target, long configuredMs) {
    if (configuredMs <= 0 || call.mode() != StreamMode.PLAIN) {
      return 0;
    }
    if (call.family().equals("containers.stop") || call.family().equals("containers.restart")) {
      String grace = RequestTargets.first(RequestTargets.parameters(target), "t");
      if (!grace.isBlank()) {
        try {
          long seconds = Long.parseLong(grace.trim());
          return seconds < 0 ? 0 : configuredMs + Math.min(seconds, 86_400L) * 1000;
        } catch (NumberFormatException e) {
          // the daemon refuses it with a 400 at once
        }
      }
    }
    return configuredMs;
  }
}
