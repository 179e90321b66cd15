package io.portcullis.registry.index;

import io.portcullis.contracts.ObjectKind;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which host holds which tenant's object: filled when the edge reports a create, kept true from the
 * hosts' event streams, and rebuilt per host from the owner labels whenever a host comes up (so a
 * restarted gateway loses nothing). Plain logic, no bus; one verticle owns it.
 *
 * <p>It is a hint, not the truth: the edge always re-checks ownership on the host named, and asks the
 * hosts themselves when that host says the object is not there.
 */
public final class ObjectIndex {
  /** One object. {@code name} is the backend name ("" if none). */
  public record Entry(ObjectKind kind, String id, String name, String tenant, String host) {}

  private final Map<ObjectKind, Map<String, Entry>> byId = new EnumMap<>(ObjectKind.class);

  public ObjectIndex() {
    for (ObjectKind kind : ObjectKind.values()) {
      byId.put(kind, new HashMap<>());
    }
  }

  public void put(Entry entry) {
    if (entry.id() == null || entry.id().isEmpty() || entry.tenant() == null || entry.tenant().isEmpty()) {
      return;
    }
    byId.get(entry.kind()).put(entry.id(), entry);
  }

  public void remove(ObjectKind kind, String id) {
    byId.get(kind).remove(id);
  }

  /** Renames an object (a container rename seen in the events). */
  public void rename(ObjectKind kind, String id, String newName) {
    Entry e = byId.get(kind).get(id);
    if (e != null) {
      put(new Entry(kind, id, newName, e.tenant(), e.host()));
    }
  }

  /** Replaces everything known of one kind on one host by what the host listed. */
  public void replaceHost(String host, ObjectKind kind, List<Entry> entries) {
    byId.get(kind).values().removeIf(e -> e.host().equals(host));
    entries.forEach(this::put);
  }

  /** Forgets a removed host's objects. */
  public void removeHost(String host) {
    byId.values().forEach(m -> m.values().removeIf(e -> e.host().equals(host)));
  }

  /**
   * The tenant's object {@code ref}, resolved as Docker does: full ID, then name (the tenant's own name
   * first, then a name as given), then an ID prefix that is unique among the tenant's objects.
   */
  public Optional<Entry> locate(String tenant, ObjectKind kind, String ref) {
    if (ref == null || ref.isEmpty()) {
      return Optional.empty();
    }
    Map<String, Entry> objects = byId.get(kind);
    Entry exact = objects.get(ref);
    if (exact != null) {
      return exact.tenant().equals(tenant) ? Optional.of(exact) : Optional.empty();
    }
    String backendName = ObjectKind.backendName(tenant, ref);
    Entry byGivenName = null;
    Entry byPrefix = null;
    int prefixMatches = 0;
    for (Entry e : objects.values()) {
      if (!e.tenant().equals(tenant)) {
        continue;
      }
      if (e.name().equals(backendName)) {
        return Optional.of(e);
      }
      if (e.name().equals(ref)) {
        byGivenName = e;
      }
      if (e.id().startsWith(ref)) {
        byPrefix = e;
        prefixMatches++;
      }
    }
    if (byGivenName != null) {
      return Optional.of(byGivenName);
    }
    return prefixMatches == 1 ? Optional.of(byPrefix) : Optional.empty();
  }

  /** The host of an object by its backend name or ID, whoever owns it (for placement pins). */
  public Optional<String> hostOf(ObjectKind kind, String backendNameOrId) {
    Map<String, Entry> objects = byId.get(kind);
    Entry exact = objects.get(backendNameOrId);
    if (exact != null) {
      return Optional.of(exact.host());
    }
    return objects.values().stream().filter(e -> e.name().equals(backendNameOrId)).map(Entry::host).findFirst();
  }

  /** Containers on each host, every tenant's. */
  public Map<String, Integer> containersPerHost() {
    Map<String, Integer> counts = new HashMap<>();
    byId.get(ObjectKind.CONTAINER).values().forEach(e -> counts.merge(e.host(), 1, Integer::sum));
    return counts;
  }

  public List<Entry> all(ObjectKind kind) {
    return new ArrayList<>(byId.get(kind).values());
  }
}
