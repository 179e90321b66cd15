package io.portcullis.registry.index;

import io.portcullis.contracts.ApiException;
import io.portcullis.contracts.BackendHost;
import io.portcullis.contracts.BackendHost.HostState;
import io.portcullis.contracts.ObjectKind;
import io.portcullis.registry.HostApi;
import io.portcullis.registry.index.ObjectIndex.Entry;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Finds a tenant's object by asking the hosts themselves (the index did not know it, or named a host
 * that no longer has it): every host of the tenant's pool that is not down is asked at once, and the
 * first in pool order that has an object the tenant owns wins. What is found goes into the index.
 */
public final class ObjectProbe {
  private final HostApi api;
  private final ObjectIndex index;

  public ObjectProbe(HostApi api, ObjectIndex index) {
    this.api = api;
    this.index = index;
  }

  /**
   * A host that fails to answer makes the search fail (503 naming it) unless another host has the
   * object by its full ID or name: resolving a prefix without one host's answer could pick the wrong
   * object, and a call would then act on it.
   */
  public Future<Optional<Entry>> find(String tenant, ObjectKind kind, String ref, List<BackendHost> pool) {
    List<BackendHost> asked = pool.stream().filter(h -> h.state() != HostState.DOWN).toList();
    List<Future<Optional<Entry>>> answers = new ArrayList<>();
    for (BackendHost host : asked) {
      answers.add(onHost(tenant, kind, ref, host).recover(err -> Future.failedFuture(err instanceof ApiException
          ? err : ApiException.unavailable("backend host " + host.name() + " is unavailable"))));
    }
    if (answers.isEmpty()) {
      return Future.succeededFuture(Optional.empty());
    }
    return Future.join(answers).transform(ignored -> {
      List<Entry> found = answers.stream().filter(Future::succeeded).map(Future::result).flatMap(Optional::stream).toList();
      Optional<Entry> exact = found.stream().filter(e -> isExact(tenant, ref, e)).findFirst();
      Optional<Throwable> failure = answers.stream().filter(Future::failed).map(Future::cause).findFirst();
      if (exact.isEmpty() && failure.isPresent()) {
        return Future.failedFuture(failure.get());
      }
      Optional<Entry> chosen = exact.isPresent() ? exact : choose(tenant, kind, ref, found);
      chosen.filter(e -> kind != ObjectKind.IMAGE).ifPresent(index::put);
      return Future.succeededFuture(chosen);
    });
  }

  private static boolean isExact(String tenant, String ref, Entry e) {
    return e.id().equals(ref) || e.name().equals(ObjectKind.backendName(tenant, ref)) || e.name().equals(ref);
  }

  /**
   * Resolves as one daemon would over all the hosts' answers: a full ID or a name first (in pool
   * order), and an ID prefix only when one object on all the hosts has it; a prefix two objects share
   * is Docker's 400 "multiple IDs found". Images are taken from the first host that has one.
   */
  static Optional<Entry> choose(String tenant, ObjectKind kind, String ref, List<Entry> found) {
    if (found.isEmpty() || kind == ObjectKind.IMAGE || kind == ObjectKind.VOLUME) {
      return found.stream().findFirst();
    }
    Optional<Entry> exact = found.stream().filter(e -> isExact(tenant, ref, e)).findFirst();
    if (exact.isPresent()) {
      return exact;
    }
    if (found.stream().map(Entry::id).distinct().count() > 1) {
      throw ApiException.badRequest("multiple IDs found with provided prefix: " + ref);
    }
    return Optional.of(found.get(0));
  }

  private Future<Optional<Entry>> onHost(String tenant, ObjectKind kind, String ref, BackendHost host) {
    return switch (kind) {
      case CONTAINER -> HEX_PREFIX.matcher(ref).matches() ? containersByPrefix(tenant, ref, host) : owned(tenant, kind, host, r -> "/containers/" + encode(r) + "/json", ref, c -> c.getString("Id"), c -> stripSlash(c.getString("Name", "")),
          c -> c.getValue("Config") instanceof JsonObject config ? config.getValue("Labels") : null);
      case VOLUME -> owned(tenant, kind, host, r -> "/volumes/" + encode(r), ref, v -> v.getString("Name"), v -> v.getString("Name"), v -> v.getValue("Labels"));
      case NETWORK -> owned(tenant, kind, host, r -> "/networks/" + encode(r), ref, n -> n.getString("Id"), n -> n.getString("Name", ""), n -> n.getValue("Labels"));
      case EXEC -> api.getJson(host, "/exec/" + encode(ref) + "/json").compose(exec -> {
        if (!(exec instanceof JsonObject e) || !(e.getValue("ContainerID") instanceof String container)) {
          return Future.succeededFuture(Optional.<Entry>empty());
        }
        return onHost(tenant, ObjectKind.CONTAINER, container, host)
            .map(c -> c.map(found -> new Entry(ObjectKind.EXEC, e.getString("ID", ref), "", tenant, host.name())));
      });
      // An image is found where it is one the tenant may use: no owner (shared) or the tenant's own. A
      // name another tenant's image holds on one host must not hide the tenant's image on another.
      case IMAGE -> api.getJson(host, "/images/" + encode(ref) + "/json").map(image -> image instanceof JsonObject i
          && visibleTo(tenant, i) ? Optional.of(new Entry(kind, i.getString("Id", ref), ref, tenant, host.name())) : Optional.<Entry>empty());
    };
  }

  private Future<Optional<Entry>> owned(String tenant, ObjectKind kind, BackendHost host,
      java.util.function.UnaryOperator<String> path, String ref,
      java.util.function.Function<JsonObject, String> id, java.util.function.Function<JsonObject, String> name,
      java.util.function.Function<JsonObject, Object> labels) {
    // The tenant's own name first (the backend knows it as tenant.name), then the reference as given.
    return api.getJson(host, path.apply(ObjectKind.backendName(tenant, ref)))
        .compose(found -> found != null ? Future.succeededFuture(found) : api.getJson(host, path.apply(ref)))
        .map(found -> {
          if (found instanceof JsonObject o && labels.apply(o) instanceof JsonObject l && tenant.equals(l.getValue(ObjectKind.OWNER_LABEL))) {
            return Optional.of(new Entry(kind, id.apply(o), name.apply(o), tenant, host.name()));
          }
          return Optional.empty();
        });
  }

  private static final java.util.regex.Pattern HEX_PREFIX = java.util.regex.Pattern.compile("[0-9a-f]{1,63}");

  /**
   * An ID prefix (not the tenant's name) is matched among the tenant's own containers on the host,
   * never by the daemon's resolution over every tenant's.
   * Two of them on one host: Docker's "multiple IDs found".
   */
  private Future<Optional<Entry>> containersByPrefix(String tenant, String ref, BackendHost host) {
    return api.getJson(host, "/containers/" + encode(ObjectKind.backendName(tenant, ref)) + "/json").compose(named -> {
      if (named instanceof JsonObject c && c.getValue("Config") instanceof JsonObject config
          && config.getValue("Labels") instanceof JsonObject l && tenant.equals(l.getValue(ObjectKind.OWNER_LABEL))) {
        return Future.succeededFuture(Optional.of(new Entry(ObjectKind.CONTAINER, c.getString("Id"), stripSlash(c.getString("Name", "")), tenant, host.name())));
      }
      // Matched here among the tenant's own: the daemon's id filter resolves a lone value as a reference,
      // and answers nothing when the prefix is ambiguous among every tenant's containers.
      String filters = new JsonObject().put("label", new io.vertx.core.json.JsonArray().add(ObjectKind.OWNER_LABEL + "=" + tenant)).encode();
      return api.getJson(host, "/containers/json?all=1&filters=" + encode(filters)).map(list -> {
        io.vertx.core.json.JsonArray matches = new io.vertx.core.json.JsonArray();
        if (list instanceof io.vertx.core.json.JsonArray own) {
          own.forEach(c -> {
            if (c instanceof JsonObject container && container.getString("Id", "").startsWith(ref)) {
              matches.add(container);
            }
          });
        }
        if (matches.size() > 1) {
          throw ApiException.badRequest("multiple IDs found with provided prefix: " + ref);
        }
        if (matches.isEmpty()) {
          return Optional.<Entry>empty();
        }
        JsonObject c = matches.getJsonObject(0);
        io.vertx.core.json.JsonArray names = c.getJsonArray("Names", new io.vertx.core.json.JsonArray());
        return Optional.of(new Entry(ObjectKind.CONTAINER, c.getString("Id"), names.isEmpty() ? "" : stripSlash(names.getString(0)), tenant, host.name()));
      });
    });
  }

  private static boolean visibleTo(String tenant, JsonObject image) {
    Object owner = image.getValue("Config") instanceof JsonObject config && config.getValue("Labels") instanceof JsonObject labels
        ? labels.getValue(ObjectKind.OWNER_LABEL) : null;
    return owner == null || owner.equals(tenant);
  }

  private static String stripSlash(String name) {
    return name.startsWith("/") ? name.substring(1) : name;
  }

  private static String encode(String segment) {
    return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
