package io.portcullis.gateway.hosts;

import io.portcullis.contracts.BackendHost;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One answer made of several hosts' answers (each already in the tenant's view), shaped and ordered
 * as one daemon would answer: containers and images newest first, objects on every host (the daemon's
 * own networks, an image present on several hosts) once, sizes and counts summed.
 */
public final class MergedAnswers {
  private MergedAnswers() {}

  /** One host's answer, with the host it came from. */
  public record HostAnswer(BackendHost host, Object json) {}

  private static final Comparator<Object> NEWEST_FIRST =
      Comparator.comparingLong((Object o) -> o instanceof JsonObject j && j.getValue("Created") instanceof Number n ? n.longValue() : 0L).reversed();

  public static Object merge(String family, List<HostAnswer> answers, Map<String, List<String>> params) {
    return switch (family) {
      case "containers.list" -> limited(sorted(concat(answers), NEWEST_FIRST), params);
      case "images.list" -> distinctTags(sorted(distinct(concat(answers), "Id"), NEWEST_FIRST));
      case "networks.list" -> distinct(concat(answers), "Id");
      case "volumes.list" -> volumes(answers);
      case "system.df" -> df(answers);
      case "containers.prune", "volumes.prune", "networks.prune", "images.prune" -> prune(answers);
      default -> throw new IllegalArgumentException("no merge for " + family);
    };
  }

  private static JsonArray concat(List<HostAnswer> answers) {
    JsonArray all = new JsonArray();
    for (HostAnswer answer : answers) {
      if (answer.json() instanceof JsonArray list) {
        list.forEach(all::add);
      }
    }
    return all;
  }

  private static JsonArray sorted(JsonArray list, Comparator<Object> order) {
    List<Object> items = new ArrayList<>(list.getList());
    items.sort(order);
    return new JsonArray(items);
  }

  /** The first of the objects sharing {@code key}'s value (a network or image on every host). */
  private static JsonArray distinct(JsonArray list, String key) {
    Map<Object, Object> seen = new LinkedHashMap<>();
    int anonymous = 0;
    for (Object item : list) {
      Object id = item instanceof JsonObject o && o.getValue(key) != null ? o.getValue(key) : "#" + anonymous++;
      seen.putIfAbsent(id, item);
    }
    return new JsonArray(new ArrayList<>(seen.values()));
  }

  /**
   * One daemon never has a tag on two images; across hosts the same tag may name different images (an
   * image built or imported on each): the newest is shown, once. Untagged images are kept by ID.
   */
  private static JsonArray distinctTags(JsonArray newestFirst) {
    Map<Object, Object> seen = new LinkedHashMap<>();
    for (Object item : newestFirst) {
      Object key = item instanceof JsonObject o ? o.getValue("Id") : item;
      if (item instanceof JsonObject o && o.getValue("RepoTags") instanceof JsonArray tags && !tags.isEmpty()
          && !(tags.size() == 1 && "<none>:<none>".equals(tags.getValue(0)))) {
        List<String> sortedTags = new ArrayList<>();
        tags.forEach(t -> sortedTags.add(String.valueOf(t)));
        java.util.Collections.sort(sortedTags);
        key = sortedTags;
      }
      seen.putIfAbsent(key, item);
    }
    return new JsonArray(new ArrayList<>(seen.values()));
  }

  /** {@code ps -n N} / {@code --last}: each host answered its N newest; N of all are kept. */
  private static JsonArray limited(JsonArray list, Map<String, List<String>> params) {
    List<String> limit = params.get("limit");
    if (limit == null || limit.isEmpty()) {
      return list;
    }
    try {
      int n = Integer.parseInt(limit.get(0));
      return n <= 0 || n >= list.size() ? list : new JsonArray(new ArrayList<>(list.getList().subList(0, n)));
    } catch (NumberFormatException e) {
      return list;
    }
  }

  private static JsonObject volumes(List<HostAnswer> answers) {
    JsonArray volumes = new JsonArray();
    JsonArray warnings = new JsonArray();
    for (HostAnswer answer : answers) {
      if (answer.json() instanceof JsonObject o) {
        if (o.getValue("Volumes") instanceof JsonArray v) {
          v.forEach(volumes::add);
        }
        if (o.getValue("Warnings") instanceof JsonArray w) {
          w.forEach(warnings::add);
        }
      }
    }
    return new JsonObject().put("Volumes", volumes).put("Warnings", warnings.isEmpty() ? null : warnings);
  }

  private static JsonObject df(List<HostAnswer> answers) {
    long layers = 0;
    JsonArray images = new JsonArray();
    JsonArray containers = new JsonArray();
    JsonArray volumes = new JsonArray();
    JsonArray cache = new JsonArray();
    for (HostAnswer answer : answers) {
      if (answer.json() instanceof JsonObject o) {
        layers += o.getValue("LayersSize") instanceof Number n ? n.longValue() : 0;
        addAll(images, o.getValue("Images"));
        addAll(containers, o.getValue("Containers"));
        addAll(volumes, o.getValue("Volumes"));
        addAll(cache, o.getValue("BuildCache"));
      }
    }
    return new JsonObject().put("LayersSize", layers).put("Images", distinctTags(sorted(distinct(images, "Id"), NEWEST_FIRST)))
        .put("Containers", containers).put("Volumes", volumes).put("BuildCache", cache);
  }

  /** Prune reports: the deleted lists joined (null when empty, as Docker sends), space reclaimed summed. */
  private static JsonObject prune(List<HostAnswer> answers) {
    Map<String, JsonArray> deleted = new LinkedHashMap<>();
    long reclaimed = 0;
    for (HostAnswer answer : answers) {
      if (answer.json() instanceof JsonObject o) {
        for (String key : o.fieldNames()) {
          if (key.endsWith("Deleted")) {
            addAll(deleted.computeIfAbsent(key, k -> new JsonArray()), o.getValue(key));
          }
        }
        reclaimed += o.getValue("SpaceReclaimed") instanceof Number n ? n.longValue() : 0;
      }
    }
    JsonObject merged = new JsonObject();
    deleted.forEach((key, list) -> merged.put(key, list.isEmpty() ? null : list));
    boolean hasSpace = answers.stream().anyMatch(a -> a.json() instanceof JsonObject o && o.containsKey("SpaceReclaimed"));
    return hasSpace ? merged.put("SpaceReclaimed", reclaimed) : merged;
  }

  private static void addAll(JsonArray into, Object list) {
    if (list instanceof JsonArray l) {
      l.forEach(into::add);
    }
  }

  /**
   * {@code docker info} over several hosts: the first host's answer (already the tenant's view) with
   * counts and resources summed, and the hosts listed in {@code SystemStatus}, as Swarm classic did.
   * {@code hosts} are every host of the tenant's pool, including those down (whose answers are absent).
   */
  public static JsonObject info(List<HostAnswer> answers, List<BackendHost> hosts) {
    JsonObject merged = answers.isEmpty() ? new JsonObject() : ((JsonObject) answers.get(0).json()).copy();
    for (String key : List.of("Containers", "ContainersRunning", "ContainersPaused", "ContainersStopped", "Images", "NCPU", "MemTotal")) {
      long sum = 0;
      for (HostAnswer answer : answers) {
        sum += ((JsonObject) answer.json()).getValue(key) instanceof Number n ? n.longValue() : 0;
      }
      merged.put(key, sum);
    }
    JsonArray status = new JsonArray()
        .add(new JsonArray().add("Role").add("portcullis gateway"))
        .add(new JsonArray().add("Hosts").add(String.valueOf(hosts.size())));
    for (BackendHost host : hosts) {
      JsonObject answer = answers.stream().filter(a -> a.host().name().equals(host.name()))
          .map(a -> (JsonObject) a.json()).findFirst().orElse(null);
      status.add(new JsonArray().add(" " + host.name()).add(host.draining() ? "draining" : host.state().wireName()));
      status.add(new JsonArray().add("  └ Containers").add(answer == null ? "unknown" : String.valueOf(answer.getValue("Containers"))));
    }
    return merged.put("SystemStatus", status);
  }
}
