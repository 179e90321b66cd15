package io.portcullis.contracts;

import io.vertx.core.json.JsonObject;

/**
 * Reads one typed value from a configuration section, failing with the full key name when the value
 * is present but null or of the wrong type (JsonObject's own getters throw a bare NPE or CCE).
 */
public final class ConfigValues {
  private ConfigValues() {}

  public static int integer(JsonObject section, String prefix, String key, int defaultValue) {
    Object value = section.getValue(key);
    if (value == null && !section.containsKey(key)) {
      return defaultValue;
    }
    if (value instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())
        && n.longValue() >= Integer.MIN_VALUE && n.longValue() <= Integer.MAX_VALUE) {
      return n.intValue();
    }
    throw invalid(prefix, key, value, "a whole number");
  }

  public static long longValue(JsonObject section, String prefix, String key, long defaultValue) {
    Object value = section.getValue(key);
    if (value == null && !section.containsKey(key)) {
      return defaultValue;
    }
    if (value instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
      return n.longValue();
    }
    throw invalid(prefix, key, value, "a whole number");
  }

  public static String string(JsonObject section, String prefix, String key, String defaultValue) {
    Object value = section.getValue(key);
    if (value == null && !section.containsKey(key)) {
      return defaultValue;
    }
    if (value instanceof String s) {
      return s;
    }
    throw invalid(prefix, key, value, "a string");
  }

  private static IllegalArgumentException invalid(String prefix, String key, Object value, String expected) {
    return new IllegalArgumentException("invalid configuration " + prefix + "." + key + ": " + value + " (expected " + expected + ")");
  }
}
