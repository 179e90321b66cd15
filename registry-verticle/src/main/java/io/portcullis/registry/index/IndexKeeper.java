package io.portcullis.registry.index;

import io.portcullis.contracts.BackendHost;
import io.portcullis.contracts.ObjectKind;
import io.portcullis.registry.HostApi;
import io.portcullis.registry.index.ObjectIndex.Entry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Keeps the {@link ObjectIndex} true for each host that is up: when a host comes up its owned
 * containers, volumes and networks are listed (by the owner label) and replace what the index held
 * for it; from then on the host's event stream adds and removes objects as they come and go. When a
 * stream ends, {@code onStreamLost} is told (the registry checks the host's health at once).
 */
public final class IndexKeeper {
  private static final System.Logger log = System.getLogger(IndexKeeper.class.getName());
  private static final String OWNED = URLEncoder.encode("{\"label\":[\"" + ObjectKind.OWNER_LABEL + "\"]}", StandardCharsets.UTF_8);
  private static final String EVENT_TYPES =
      URLEncoder.encode("{\"type\":[\"container\",\"volume\",\"network\"]}", StandardCharsets.UTF_8);

  private final HostApi api;
  private final ObjectIndex index;
  private final Consumer<BackendHost> onStreamLost;
  private final Map<String, HttpClientRequest> streams = new HashMap<>();

  public IndexKeeper(HostApi api, ObjectIndex index, Consumer<BackendHost> onStreamLost) {
    this.api = api;
    this.index = index;
    this.onStreamLost = onStreamLost;
  }

  /** The host is up: follow its events (first, so nothing falls between list and stream), then list. */
  public Future<Void> start(BackendHost host) {
    stop(host.name());
    Promise<Void> ended = Promise.promise();
    ended.future().onComplete(ar -> {
      HttpClientRequest current = streams.get(host.name());
      if (current != null) {
        streams.remove(host.name());
        log.log(System.Logger.Level.INFO, "event stream of backend host {0} ended{1}", host.name(),
            ar.failed() ? ": " + ar.cause().getMessage() : "");
        onStreamLost.accept(host);
      }
    });
    return api.follow(host, "/events?filters=" + EVENT_TYPES, event -> onEvent(host, event), ended)
        .onSuccess(req -> streams.put(host.name(), req))
        .compose(req -> rebuild(host));
  }

  /** Stops following a host (it went down or was removed); what the index holds of it stays, for 503s. */
  public void stop(String host) {
    HttpClientRequest stream = streams.remove(host);
    if (stream != null) {
      stream.reset();
    }
  }

  public boolean following(String host) {
    return streams.containsKey(host);
  }

  /** Lists the host's owned objects and replaces the index's view of it. */
  public Future<Void> rebuild(BackendHost host) {
    Future<Object> containers = api.getJson(host, "/containers/json?all=1&filters=" + OWNED);
    Future<Object> volumes = api.getJson(host, "/volumes?filters=" + OWNED);
    Future<Object> networks = api.getJson(host, "/networks?filters=" + OWNED);
    return Future.all(containers, volumes, networks).map(v -> {
      index.replaceHost(host.name(), ObjectKind.CONTAINER, containers(host, containers.result()));
      index.replaceHost(host.name(), ObjectKind.VOLUME, volumes(host, volumes.result()));
      index.replaceHost(host.name(), ObjectKind.NETWORK, networks(host, networks.result()));
      return null;
    });
  }

  private static List<Entry> containers(BackendHost host, Object answer) {
    List<Entry> entries = new ArrayList<>();
    if (answer instanceof JsonArray list) {
      for (Object o : list) {
        if (o instanceof JsonObject c) {
          JsonArray names = c.getJsonArray("Names", new JsonArray());
          String name = names.isEmpty() ? "" : stripSlash(names.getString(0));
          entries.add(new Entry(ObjectKind.CONTAINER, c.getString("Id"), name, owner(c.getValue("Labels")), host.name()));
        }
      }
    }
    return entries;
  }

  private static List<Entry> volumes(BackendHost host, Object answer) {
    List<Entry> entries = new ArrayList<>();
    if (answer instanceof JsonObject body && body.getValue("Volumes") instanceof JsonArray list) {
      for (Object o : list) {
        if (o instanceof JsonObject v) {
          entries.add(new Entry(ObjectKind.VOLUME, v.getString("Name"), v.getString("Name"), owner(v.getValue("Labels")), host.name()));
        }
      }
    }
    return entries;
  }

  private static List<Entry> networks(BackendHost host, Object answer) {
    List<Entry> entries = new ArrayList<>();
    if (answer instanceof JsonArray list) {
      for (Object o : list) {
        if (o instanceof JsonObject n) {
          entries.add(network(host, n));
        }
      }
    }
    return entries;
  }

  private static Entry network(BackendHost host, JsonObject n) {
    return new Entry(ObjectKind.NETWORK, n.getString("Id"), n.getString("Name", ""), owner(n.getValue("Labels")), host.name());
  }

  private void onEvent(BackendHost host, JsonObject event) {
    String type = event.getString("Type", "");
    String action = event.getString("Action", "");
    JsonObject actor = event.getValue("Actor") instanceof JsonObject a ? a : new JsonObject();
    String id = actor.getString("ID", "");
    JsonObject attributes = actor.getValue("Attributes") instanceof JsonObject a ? a : new JsonObject();
    switch (type) {
      case "container" -> onContainerEvent(host, action, id, attributes);
      case "volume" -> onVolumeOrNetworkEvent(host, ObjectKind.VOLUME, action, id);
      case "network" -> onVolumeOrNetworkEvent(host, ObjectKind.NETWORK, action, id);
      default -> { }
    }
  }

  private void onContainerEvent(BackendHost host, String action, String id, JsonObject attributes) {
    String owner = attributes.getString(ObjectKind.OWNER_LABEL, "");
    if (action.equals("create") && !owner.isEmpty()) {
      index.put(new Entry(ObjectKind.CONTAINER, id, attributes.getString("name", ""), owner, host.name()));
    } else if (action.equals("destroy")) {
      index.remove(ObjectKind.CONTAINER, id);
    } else if (action.equals("rename")) {
      index.rename(ObjectKind.CONTAINER, id, attributes.getString("name", ""));
    } else if (action.startsWith("exec_create") && !owner.isEmpty() && attributes.getValue("execID") instanceof String exec) {
      index.put(new Entry(ObjectKind.EXEC, exec, "", owner, host.name()));
    } else if (action.startsWith("exec_die") && attributes.getValue("execID") instanceof String exec) {
      index.remove(ObjectKind.EXEC, exec);
    }
  }

  /** Volume and network events carry no labels: a created one is inspected to learn its owner. */
  private void onVolumeOrNetworkEvent(BackendHost host, ObjectKind kind, String action, String id) {
    if (action.equals("destroy")) {
      index.remove(kind, id);
      return;
    }
    if (!action.equals("create")) {
      return;
    }
    String path = (kind == ObjectKind.VOLUME ? "/volumes/" : "/networks/") + URLEncoder.encode(id, StandardCharsets.UTF_8);
    api.getJson(host, path).onSuccess(found -> {
      if (found instanceof JsonObject o && !owner(o.getValue("Labels")).isEmpty()) {
        index.put(kind == ObjectKind.VOLUME
            ? new Entry(kind, o.getString("Name"), o.getString("Name"), owner(o.getValue("Labels")), host.name())
            : network(host, o));
      }
    });
  }

  private static String owner(Object labels) {
    return labels instanceof JsonObject l && l.getValue(ObjectKind.OWNER_LABEL) instanceof String s ? s : "";
  }

  private static String stripSlash(String name) {
    return name.startsWith("/") ? name.substring(1) : name;
  }

  /** Used by tests and by a removal: every stream stopped. */
  public void stopAll() {
    new ArrayList<>(streams.keySet()).forEach(this::stop);
  }
}
