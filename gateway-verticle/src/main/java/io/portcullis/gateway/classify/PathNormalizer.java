package io.portcullis.gateway.classify;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a request target into what the classifier matches: the query is dropped, percent-encoding is
 * decoded once (UTF-8 only), empty and dot segments are resolved, and the {@code /vX.Y} prefix is split
 * off. Malformed input is refused rather than guessed at.
 */
public final class PathNormalizer {
  private static final Pattern VERSION_PREFIX = Pattern.compile("^/v(\\d+\\.\\d+)(/.*|$)");

  /** A normalised path, and the API version it carried. */
  public record NormalizedPath(String apiVersion, String path) {}

  private PathNormalizer() {}

  public static NormalizedPath normalize(String requestTarget) {
    if (requestTarget == null || requestTarget.isEmpty() || requestTarget.charAt(0) != '/') {
      throw new IllegalArgumentException("request target must be an absolute path");
    }
    int query = requestTarget.indexOf('?');
    String rawPath = query < 0 ? requestTarget : requestTarget.substring(0, query);
    String decoded = percentDecode(rawPath);
    String resolved = resolveDotSegments(decoded);
    Matcher m = VERSION_PREFIX.matcher(resolved);
    if (m.matches()) {
      String rest = m.group(2);
      return new NormalizedPath(m.group(1), rest.isEmpty() ? "/" : rest);
    }
    return new NormalizedPath(null, resolved);
  }

  static String percentDecode(String s) {
    if (s.indexOf('%') < 0) {
      for (int i = 0; i < s.length(); i++) {
        if (s.charAt(i) > 0x7f) {
          throw new IllegalArgumentException("path contains a raw non-ASCII character");
        }
      }
      return s;
    }
    ByteBuffer bytes = ByteBuffer.allocate(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '%') {
        if (i + 2 >= s.length()) {
          throw new IllegalArgumentException("truncated percent-encoding in path");
        }
        int hi = Character.digit(s.charAt(i + 1), 16);
        int lo = Character.digit(s.charAt(i + 2), 16);
        if (hi < 0 || lo < 0) {
          throw new IllegalArgumentException("invalid percent-encoding in path");
        }
        bytes.put((byte) (hi * 16 + lo));
        i += 2;
      } else if (c > 0x7f) {
        throw new IllegalArgumentException("path contains a raw non-ASCII character");
      } else {
        bytes.put((byte) c);
      }
    }
    bytes.flip();
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(bytes).toString();
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException("path is not valid UTF-8");
    }
  }

  static String resolveDotSegments(String path) {
    Deque<String> out = new ArrayDeque<>();
    for (String segment : path.split("/", -1)) {
      if (segment.isEmpty() || segment.equals(".")) {
        continue;
      }
      if (segment.equals("..")) {
        out.pollLast();
      } else {
        out.addLast(segment);
      }
    }
    if (out.isEmpty()) {
      return "/";
    }
    StringBuilder sb = new StringBuilder(path.length());
    for (String segment : out) {
      sb.append('/').append(segment);
    }
    return sb.toString();
  }
}
