package io.portcullis.gateway.admin;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Locale;

/**
 * The configuration as an operator may read it: the value of every key whose name says it is secret
 * ({@code key}, {@code password}, {@code secret}, {@code token} anywhere in it, any case) and every
 * PEM text, at any depth, becomes {@code "***"}. Key paths ({@code edge.tlsKeyPath}) are masked too: the
 * rule is by name, and a path is not worth an exception.
 */
final class ConfigMask {
  static final String MASK = "***";
  private static final java.util.List<String> SECRET_WORDS = java.util.List.of("key", "password", "secret", "token");

  private ConfigMask() {}

  static JsonObject masked(JsonObject config) {
    JsonObject out = new JsonObject();
    config.forEach(e -> out.put(e.getKey(), secretName(e.getKey()) && e.getValue() != null ? MASK : masked(e.getValue())));
    return out;
  }

  private static Object masked(Object value) {
    if (value instanceof JsonObject object) {
      return masked(object);
    }
    if (value instanceof JsonArray array) {
      JsonArray out = new JsonArray();
      array.forEach(v -> out.add(masked(v)));
      return out;
    }
    if (value instanceof String text && text.contains("-----BEGIN")) {
      return MASK;
    }
    return value;
  }

  private static boolean secretName(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    return SECRET_WORDS.stream().anyMatch(lower::contains);
  }
}
