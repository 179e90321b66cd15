package io.portcullis.gateway.ownership;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.QueryStringEncoder;
import java.util.List;
import java.util.Map;

/**
 * Ownership travels with the object on the backend, as a label, so that it survives a gateway restart.
 * Small pure functions: stamp a create body, scope a list or event filter to one tenant.
 */
public final class Ownership {
  /** The label every object a tenant creates through the gateway carries. */
  public static final String LABEL = io.portcullis.contracts.ObjectKind.OWNER_LABEL;

  /** Collections whose second path segment is an object the guard resolves to a backend reference. */
  private static final java.util.Set<String> OBJECT_COLLECTIONS = java.util.Set.of("containers", "volumes", "networks");

  private Ownership() {}

  /** The create body with the owner label set (a tenant-supplied value is overwritten). */
  public static JsonObject stamp(JsonObject createBody, String tenant) {
    JsonObject labels = createBody.getValue("Labels") instanceof JsonObject l ? l : new JsonObject();
    labels.put(LABEL, tenant);
    return createBody.put("Labels", labels);
  }

  /** The named volumes a container create body mounts ({@code Binds} "name:/path", {@code Mounts} of type volume). */
  public static java.util.List<String> namedVolumes(JsonObject createBody) {
    java.util.List<String> names = new java.util.ArrayList<>();
    JsonObject host = createBody.getValue("HostConfig") instanceof JsonObject h ? h : new JsonObject();
    if (host.getValue("Binds") instanceof JsonArray binds) {
      for (Object b : binds) {
        String[] parts = String.valueOf(b).split(":", 2);
        if (parts.length == 2 && !parts[0].isEmpty() && !parts[0].startsWith("/")) {
          names.add(parts[0]);
        }
      }
    }
    if (host.getValue("Mounts") instanceof JsonArray mounts) {
      for (Object m : mounts) {
        if (m instanceof JsonObject mount && "volume".equalsIgnoreCase(mount.getString("Type", "volume"))) {
          String source = mount.getString("Source", "");
          if (!source.isEmpty()) {
            names.add(source);
          }
        }
      }
    }
    return names;
  }

  /**
   * Whether an image is shared by every tenant of its host: it has no owner and carries a name. An
   * unnamed image without an owner is a layer of someone's build (legacy builds leave their steps as
   * untagged images without the build's labels) and is nobody's to see.
   */
  public static boolean isShared(JsonObject labels, Object repoTags) {
    boolean owned = labels != null && labels.containsKey(LABEL);
    boolean named = repoTags instanceof JsonArray tags && tags.stream().anyMatch(t -> t != null && !"<none>:<none>".equals(t));
    return !owned && named;
  }

  public static boolean ownedBy(JsonObject labels, String tenant) {
    // getValue, not getString: an owner label that is not a string is nobody's, not a ClassCastException.
    return labels != null && tenant.equals(labels.getValue(LABEL));
  }

  /**
   * The target to forward for an object-addressed call: exactly the path that was classified and
   * checked (dot segments already resolved), with the object reference replaced by the backend's (a
   * container's full ID, a volume's backend name, a network's ID), and the query as the gateway read it.
   */
  public static String targetWithObject(String apiVersion, String normalizedPath, String originalTarget, String backendRef) {
    String[] segments = normalizedPath.split("/", -1);
    StringBuilder path = new StringBuilder(apiVersion == null ? "" : "/v" + apiVersion);
    for (int i = 1; i < segments.length; i++) {
      String segment = i == 2 && backendRef != null && OBJECT_COLLECTIONS.contains(segments[1]) ? backendRef : segments[i];
      path.append('/').append(java.net.URLEncoder.encode(segment, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20"));
    }
    // The query is re-encoded from what the gateway decoded, never passed on raw: the daemon must not
    // read a parameter the gateway did not (after a '#', beyond a parameter limit, a ';' separator).
    QueryStringDecoder decoder = new QueryStringDecoder(originalTarget);
    if (decoder.parameters().isEmpty()) {
      return path.toString();
    }
    QueryStringEncoder encoder = new QueryStringEncoder(path.toString());
    decoder.parameters().forEach((k, vs) -> vs.forEach(v -> encoder.addParam(k, v)));
    return encoder.toString();
  }

  /**
   * The request target with its {@code filters} parameter narrowed to the tenant's objects. Docker
   * accepts filters as {@code {"label":["a=b"]}} or {@code {"label":{"a=b":true}}}; both are read, the
   * first is written. The tenant's own label filters stay and are combined with ours (all must match).
   */
  public static String scopeFilters(String requestTarget, String tenant) {
    return scopeFilters(requestTarget, tenant, filters -> { });
  }

  /**
   * As {@link #scopeFilters(String, String)}, with {@code alsoMap} applied to the normalised filters
   * (every value a list of strings) before they are encoded: one decoding and one encoding in all.
   */
  public static String scopeFilters(String requestTarget, String tenant, java.util.function.Consumer<JsonObject> alsoMap) {
    QueryStringDecoder decoder = new QueryStringDecoder(requestTarget);
    JsonObject filters = new JsonObject();
    List<String> given = decoder.parameters().get("filters");
    if (given != null && !given.isEmpty() && !given.get(0).isBlank()) {
      try {
        filters = new JsonObject(given.get(0));
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("invalid filters: " + e.getMessage());
      }
    }
    JsonObject normalized = new JsonObject();
    for (String key : filters.fieldNames()) {
      Object value = filters.getValue(key);
      JsonArray values = new JsonArray();
      if (value instanceof JsonArray a) {
        a.forEach(v -> values.add(String.valueOf(v)));
      } else if (value instanceof JsonObject o) {
        o.fieldNames().stream().filter(k -> Boolean.TRUE.equals(o.getValue(k))).forEach(values::add);
      } else {
        throw new IllegalArgumentException("invalid filters: " + key + " must be a list");
      }
      normalized.put(key, values);
    }
    JsonArray labels = normalized.getValue("label") instanceof JsonArray l ? l : new JsonArray();
    // A tenant label filter of its own must not widen or change the scope.
    labels.getList().removeIf(v -> String.valueOf(v).startsWith(LABEL));
    labels.add(LABEL + "=" + tenant);
    normalized.put("label", labels);
    alsoMap.accept(normalized);
    QueryStringEncoder encoder = new QueryStringEncoder(decoder.rawPath());
    for (Map.Entry<String, List<String>> p : decoder.parameters().entrySet()) {
      if (!p.getKey().equals("filters")) {
        p.getValue().forEach(v -> encoder.addParam(p.getKey(), v));
      }
    }
    encoder.addParam("filters", normalized.encode());
    return encoder.toString();
  }
}
