package io.portcullis.app;

import io.portcullis.app.ConfigSchema.ListOf;
import io.portcullis.app.ConfigSchema.Named;
import io.portcullis.app.ConfigSchema.Node;
import io.portcullis.app.ConfigSchema.Section;
import io.portcullis.app.ConfigSchema.Value;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Locale;
import java.util.Map;

/**
 * Checks a loaded configuration against {@link ConfigSchema} once, before any verticle reads it, and
 * fails with one line naming the first bad key: an unknown key (with the nearest known one, since an
 * unknown key is nearly always a typo that would otherwise be silently ignored), a value of the wrong
 * type or out of range. Keys set by an environment variable are reported with that variable.
 */
final class ConfigValidator {
  /** Typos further than this from every known key get the list of known keys instead of a guess. */
  private static final int MAX_SUGGESTION_DISTANCE = 3;

  private ConfigValidator() {}

  /**
   * @param origins key path → environment variable that set it (a key under that path is reported
   *     as coming from it)
   */
  static void validate(JsonObject config, Map<String, String> origins) {
    new Walk(origins).section(ConfigSchema.ROOT, config, "");
  }

  static void validate(JsonObject config) {
    validate(config, Map.of());
  }

  private record Walk(Map<String, String> origins) {
    void section(Section schema, JsonObject json, String path) {
      for (String key : json.fieldNames()) {
        String full = path.isEmpty() ? key : path + "." + key;
        Node node = schema.keys().get(key);
        if (node == null) {
          throw new InvalidConfigurationException("unknown key " + full + suggestion(key, schema, path));
        }
        check(node, json.getValue(key), full);
      }
    }

    void check(Node node, Object value, String key) {
      if (node instanceof Value v) {
        if (!v.rule().accepts().test(value)) {
          throw invalid(key, v.rule().expected(), value);
        }
      } else if (node instanceof Section s) {
        if (!(value instanceof JsonObject o)) {
          throw invalid(key, "an object", value);
        }
        section(s, o, key);
      } else if (node instanceof Named n) {
        if (!(value instanceof JsonObject o)) {
          throw invalid(key, "an object keyed by name", value);
        }
        for (String name : o.fieldNames()) {
          check(n.each(), o.getValue(name), key + "." + name);
        }
      } else if (node instanceof ListOf l) {
        if (!(value instanceof JsonArray a)) {
          throw invalid(key, "a list", value);
        }
        for (int i = 0; i < a.size(); i++) {
          check(l.each(), a.getValue(i), key + "[" + i + "]");
        }
      }
    }

    InvalidConfigurationException invalid(String key, String expected, Object value) {
      return new InvalidConfigurationException(key + from(key) + " must be " + expected + ", got " + Json.encode(value));
    }

    private String from(String key) {
      for (Map.Entry<String, String> origin : origins.entrySet()) {
        String path = origin.getKey();
        if (key.equals(path) || key.startsWith(path + ".") || key.startsWith(path + "[")) {
          return " (from " + origin.getValue() + ")";
        }
      }
      return "";
    }
  }

  private static String suggestion(String key, Section schema, String path) {
    String nearest = null;
    int best = Integer.MAX_VALUE;
    for (String known : schema.keys().keySet()) {
      int d = distance(key.toLowerCase(Locale.ROOT), known.toLowerCase(Locale.ROOT));
      if (d < best) {
        best = d;
        nearest = known;
      }
    }
    if (nearest != null && best <= MAX_SUGGESTION_DISTANCE) {
      return " (did you mean " + (path.isEmpty() ? "" : path + ".") + nearest + "?)";
    }
    return " (known keys" + (path.isEmpty() ? "" : " of " + path) + ": " + String.join(", ", schema.keys().keySet()) + ")";
  }

  /**
   * Edits between two keys, a swap of neighbours counting as one (optimal string alignment): the
   * commonest typo, {@code egde}, is then nearer {@code edge} than {@code node}.
   */
  static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(d[i - 1][j - 1] + cost, Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1));
        if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }
}
