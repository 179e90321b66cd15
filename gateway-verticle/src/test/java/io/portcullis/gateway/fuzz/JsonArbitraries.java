package io.portcullis.gateway.fuzz;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;

/**
 * Generated JSON for the fuzz properties: objects and arrays nested a few levels, keys drawn mostly
 * from the Docker field names the gateway reads (spelled in any case, with the {@code ſ} and Kelvin
 * sign that Go's decoder folds to {@code s} and {@code k}), values mostly from the ones that matter
 * (owner labels of two tenants, host paths, {@code host}, capabilities).
 */
final class JsonArbitraries {
  static final String OWNER = "io.portcullis.tenant";

  private JsonArbitraries() {}

  /** Any JSON value, nested at most {@code depth} levels, keys from {@code keys}. */
  static Arbitrary<Object> value(int depth, Arbitrary<String> keys) {
    Arbitrary<Object> scalar = Arbitraries.oneOf(
        Arbitraries.just(null), Arbitraries.of(true, false).map(b -> (Object) b),
        Arbitraries.integers().between(-2, 70000).map(i -> (Object) i),
        Arbitraries.of("tenant-a", "tenant-b", "tenant-a.web", "/tenant-b.db", "host", "container:x", "/:/host", "/etc:/etc",
            "vol:/data", "SYS_ADMIN", "NET_ADMIN", "all", "/dev/sda", "bind", "volume", "", OWNER + "=tenant-b",
            OWNER + "=tenant-a", "image", "container", "volume", "network").map(s -> (Object) s),
        Arbitraries.strings().ofMaxLength(8).map(s -> (Object) s));
    if (depth <= 0) {
      return scalar;
    }
    Arbitrary<Object> inner = Arbitraries.lazy(() -> value(depth - 1, keys));
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(3, scalar),
        net.jqwik.api.Tuple.of(2, object(inner, keys).map(o -> (Object) o)),
        net.jqwik.api.Tuple.of(1, inner.list().ofMaxSize(4).map(l -> (Object) new JsonArray(new java.util.ArrayList<>(l)))));
  }

  static Arbitrary<JsonObject> object(Arbitrary<Object> values, Arbitrary<String> keys) {
    return Arbitraries.maps(keys, values).ofMaxSize(5).map(m -> new JsonObject(new LinkedHashMap<String, Object>(m)));
  }

  /** A Docker field name in a random spelling Go's decoder would still match. */
  static Arbitrary<String> dockerKey(List<String> names) {
    return Arbitraries.of(names).flatMap(name -> Arbitraries.integers().between(0, 3).list()
        .ofSize(name.length()).map(choices -> spell(name, choices)));
  }

  private static String spell(String name, List<Integer> choices) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      int choice = choices.get(i);
      if (choice == 3 && (c == 's' || c == 'S')) {
        sb.append('\u017f');
      } else if (choice == 3 && (c == 'k' || c == 'K')) {
        sb.append('\u212a');
      } else if (choice == 1) {
        sb.append(Character.toLowerCase(c));
      } else if (choice == 2) {
        sb.append(Character.toUpperCase(c));
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }

  /** Go's field-name folding, for the models: case, ſ and the Kelvin sign. */
  static String fold(String key) {
    return key.replace('\u017f', 's').replace('\u212a', 'k').toLowerCase(Locale.ROOT);
  }

  /** The value of the one key of {@code object} that folds to {@code name}, or null. */
  static Object field(Map<String, Object> object, String name) {
    Object found = null;
    for (Map.Entry<String, Object> e : object.entrySet()) {
      if (fold(e.getKey()).equals(fold(name))) {
        found = e.getValue();
      }
    }
    return found;
  }
}
