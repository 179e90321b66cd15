package io.portcullis.gateway.rewrite;

import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.QueryStringEncoder;
import io.portcullis.gateway.ownership.Ownership;
import io.portcullis.gateway.ownership.TenantNames;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Query strings moved into a tenant's view of the backend: list, event and prune filters narrowed to
 * the tenant's objects, the names it gives mapped into its namespace, and the images it builds, commits
 * or imports labelled with their owner. Pure: a request target in, a request target out.
 */
public final class RequestTargets {
  /** Calls whose {@code filters} parameter is narrowed to the tenant's objects by owner label. */
  private static final Set<String> SCOPED = Set.of("containers.list", "system.events", "volumes.list", "networks.list",
      "containers.prune", "volumes.prune", "networks.prune", "images.prune");

  private RequestTargets() {}

  /** The target to forward for {@code family}; throws IllegalArgumentException for a malformed query. */
  public static String forTenant(String family, String target, String tenant) {
    TenantNames names = new TenantNames(tenant);
    if (SCOPED.contains(family)) {
      return Ownership.scopeFilters(target, tenant, filters -> {
        switch (family) {
          case "system.events" -> {
            withTenantNames(filters, Set.of("container", "volume", "network"), names);
            // Not filtered by owner at the daemon: volume and network events carry no labels. Every
            // line is decided by the gateway instead (ResponseRewrites.tenantEvent).
            withoutOwnerLabel(filters, tenant);
          }
          case "containers.list" -> {
            // volume= and network= name the tenant's volumes and networks (or a mount path, a network ID).
            withTenantNames(filters, Set.of("name", "volume", "network"), names);
            withTenantReferences(filters, names);
          }
          case "volumes.list", "networks.list" -> withTenantNames(filters, Set.of("name"), names);
          default -> { }
        }
      });
    }
    return switch (family) {
      case "containers.create", "containers.rename" -> mapParameter(target, "name", names);
      case "images.build" -> withOwnerLabels(target, tenant);
      case "images.commit" -> withParameter(target, "changes", "LABEL " + Ownership.LABEL + "=" + tenant);
      case "images.pull" -> parameters(target).containsKey("fromSrc")
          ? withParameter(target, "changes", "LABEL " + Ownership.LABEL + "=" + tenant) : target;
      default -> target;
    };
  }

  /** The query parameters of a target, decoded. */
  public static Map<String, List<String>> parameters(String target) {
    return new QueryStringDecoder(target).parameters();
  }

  /** The image references a call would create or move: {@code t} of a build, {@code repo}+{@code tag} otherwise. */
  public static List<String> newImageNames(String family, String target) {
    Map<String, List<String>> p = parameters(target);
    List<String> refs = new ArrayList<>();
    if (family.equals("images.build")) {
      refs.addAll(p.getOrDefault("t", List.of()));
    } else if (family.equals("images.pull") && !p.containsKey("fromSrc")) {
      // A pull moves the tag it names to what the registry serves: fromImage[:tag], latest by default.
      String image = first(p, "fromImage");
      if (!image.isEmpty()) {
        String tag = first(p, "tag");
        boolean digest = tag.startsWith("sha256:") || image.contains("@");
        boolean tagged = image.substring(image.lastIndexOf('/') + 1).contains(":");
        refs.add(digest || (tag.isEmpty() && tagged) ? image : image + ":" + (tag.isEmpty() ? "latest" : tag));
      }
    } else {
      String repo = first(p, "repo");
      if (!repo.isEmpty()) {
        String tag = first(p, "tag");
        refs.add(tag.isEmpty() ? repo : repo + ":" + tag);
      }
    }
    refs.removeIf(String::isEmpty);
    return refs;
  }

  public static String first(Map<String, List<String>> parameters, String key) {
    List<String> values = parameters.get(key);
    return values == null || values.isEmpty() ? "" : values.get(0);
  }

  /** The target with parameter {@code key} replaced by {@code value} (all other parameters kept). */
  public static String replaceParameter(String target, String key, String value) {
    return rebuild(target, key, List.of(value));
  }

  /**
   * Filters that name objects ({@code container=web} of events, {@code name=web} of lists) match the
   * backend's names: each value is also given in the tenant's namespace. Values are alternatives, and
   * the owner filter still applies, so the value as given can only ever match the tenant's own objects.
   */
  private static void withTenantNames(JsonObject filters, Set<String> keys, TenantNames names) {
    for (String key : keys) {
      if (filters.getValue(key) instanceof JsonArray values) {
        JsonArray mapped = new JsonArray();
        values.forEach(v -> mapped.add(v).add(names.toBackend(String.valueOf(v))));
        filters.put(key, mapped);
      }
    }
  }

  private static void withoutOwnerLabel(JsonObject filters, String tenant) {
    if (filters.getValue("label") instanceof JsonArray labels) {
      labels.getList().remove(Ownership.LABEL + "=" + tenant);
      if (labels.isEmpty()) {
        filters.remove("label");
      }
    }
  }

  /**
   * {@code before} and {@code since} name one container each, which the daemon resolves among all
   * containers (and answers "no such container" otherwise): a name is taken in the tenant's namespace,
   * an ID as it is, so that the answer says nothing about other tenants' names.
   */
  private static void withTenantReferences(JsonObject filters, TenantNames names) {
    for (String key : List.of("before", "since")) {
      if (filters.getValue(key) instanceof JsonArray values) {
        JsonArray mapped = new JsonArray();
        values.forEach(v -> {
          String ref = String.valueOf(v);
          mapped.add(ref.matches("[0-9a-f]{12,64}") ? ref : names.toBackend(ref.startsWith("/") ? ref.substring(1) : ref));
        });
        filters.put(key, mapped);
      }
    }
  }

  private static String mapParameter(String target, String key, TenantNames names) {
    String value = first(parameters(target), key);
    return value.isEmpty() ? target : rebuild(target, key, List.of(names.toBackend(value.startsWith("/") ? value.substring(1) : value)));
  }

  private static String withParameter(String target, String key, String added) {
    List<String> values = new ArrayList<>(parameters(target).getOrDefault(key, List.of()));
    values.add(added);
    return rebuild(target, key, values);
  }

  /** A build's {@code labels} parameter (a JSON object) with the owner label set over any the tenant gave. */
  private static String withOwnerLabels(String target, String tenant) {
    String given = first(parameters(target), "labels");
    JsonObject labels;
    try {
      labels = given.isBlank() ? new JsonObject() : new JsonObject(given);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("invalid labels: " + e.getMessage());
    }
    labels.put(Ownership.LABEL, tenant);
    return rebuild(target, "labels", List.of(labels.encode()));
  }

  /**
   * The first value of one filter of a target ({@code filters={"before":["web"]}}, or Docker's older
   * {@code {"before":{"web":true}}}), or "" when it has none.
   */
  public static String filterValue(String target, String key) {
    String given = first(parameters(target), "filters");
    if (given.isBlank()) {
      return "";
    }
    Object value;
    try {
      value = new JsonObject(given).getValue(key);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("invalid filters: " + e.getMessage());
    }
    if (value instanceof JsonArray values && !values.isEmpty()) {
      return String.valueOf(values.getValue(0));
    }
    if (value instanceof JsonObject map) {
      return map.fieldNames().stream().filter(k -> Boolean.TRUE.equals(map.getValue(k))).findFirst().orElse("");
    }
    return "";
  }

  /** The target with these keys taken out of its {@code filters}. */
  public static String withoutFilters(String target, java.util.Set<String> keys) {
    String given = first(parameters(target), "filters");
    if (given.isBlank()) {
      return target;
    }
    JsonObject filters = new JsonObject(given);
    keys.forEach(filters::remove);
    return rebuild(target, "filters", List.of(filters.encode()));
  }

  private static String rebuild(String target, String key, List<String> values) {
    QueryStringDecoder decoder = new QueryStringDecoder(target);
    Map<String, List<String>> params = new LinkedHashMap<>(decoder.parameters());
    params.put(key, values);
    QueryStringEncoder encoder = new QueryStringEncoder(decoder.rawPath());
    params.forEach((k, vs) -> vs.forEach(v -> encoder.addParam(k, v)));
    return encoder.toString();
  }
}
