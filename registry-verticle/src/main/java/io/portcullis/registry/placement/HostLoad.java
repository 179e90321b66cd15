package io.portcullis.registry.placement;

import java.util.Map;
import java.util.Objects;

/**
 * One backend host as placement sees it: a snapshot taken by the registry just before it asks.
 *
 * @param name the registry's host name, also what {@code node.hostname==NAME} matches
 * @param labels the operator's labels on the host (pool membership, disk type, zone...)
 * @param placeable false for a host that is down or draining: it keeps its objects but takes no new ones
 * @param containers containers on the host now, every tenant's
 * @param capacity the most containers the host may hold; 0 means no limit
 */
public record HostLoad(String name, Map<String, String> labels, boolean placeable, int containers, int capacity) {

  public HostLoad {
    Objects.requireNonNull(name, "name");
    if (name.isBlank()) {
      throw new IllegalArgumentException("host name must not be blank");
    }
    labels = labels == null ? Map.of() : Map.copyOf(labels);
    if (containers < 0) {
      throw new IllegalArgumentException("host " + name + " has a negative container count: " + containers);
    }
    if (capacity < 0) {
      throw new IllegalArgumentException("host " + name + " has a negative capacity: " + capacity);
    }
  }

  /** True when one more container fits. A host already over its capacity (lowered by the operator) has none. */
  public boolean hasRoom() {
    return capacity == 0 || containers < capacity;
  }

  /** True when the host carries every one of these labels with the same value. */
  boolean carries(Map<String, String> required) {
    for (Map.Entry<String, String> label : required.entrySet()) {
      if (!label.getValue().equals(labels.get(label.getKey()))) {
        return false;
      }
    }
    return true;
  }
}
