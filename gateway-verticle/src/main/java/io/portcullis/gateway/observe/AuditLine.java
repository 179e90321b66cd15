package io.portcullis.gateway.observe;

import java.time.Instant;

/**
 * One audit line written straight into a StringBuilder: the fields are few and flat, and a JSON tree
 * per line (built, then encoded) cost the node a good share of its request rate when every call is
 * audited. Strings are escaped as JSON requires; absent values are {@code null}.
 */
final class AuditLine {
  private final StringBuilder out = new StringBuilder(512).append('{');
  private boolean first = true;

  AuditLine text(String key, String value) {
    name(key);
    if (value == null) {
      out.append("null");
    } else {
      out.append('"');
      escape(value);
      out.append('"');
    }
    return this;
  }

  AuditLine number(String key, long value) {
    name(key);
    out.append(value);
    return this;
  }

  AuditLine time(String key, long epochMillis) {
    return text(key, Instant.ofEpochMilli(epochMillis).toString());
  }

  String end() {
    return out.append('}').toString();
  }

  private void name(String key) {
    if (!first) {
      out.append(',');
    }
    first = false;
    out.append('"').append(key).append("\":");
  }

  private void escape(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20 || c == 0x2028 || c == 0x2029) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
  }
}
