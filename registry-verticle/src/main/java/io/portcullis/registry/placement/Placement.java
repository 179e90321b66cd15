package io.portcullis.registry.placement;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Chooses the host for a new container, volume or network. The candidates narrow step by step (see
 * the package description); the strategy only orders what is left:
 *
 * <ul>
 *   <li>{@code spread} (default): the host with the fewest containers, so load and failures are shared;
 *   <li>{@code binpack}: the host with the most containers that still has room, so whole hosts stay
 *       free for large workloads or can be drained.
 * </ul>
 *
 * Ties go to the smaller host name, so the same facts always give the same host, whatever the order
 * of the host list.
 */
public final class Placement {
  public static final String SPREAD = "spread";
  public static final String BINPACK = "binpack";

  private static final Comparator<HostLoad> BY_NAME = Comparator.comparing(HostLoad::name);

  private final String strategy;
  private final Comparator<HostLoad> preference;

  private Placement(String strategy, Comparator<HostLoad> preference) {
    this.strategy = strategy;
    this.preference = preference;
  }

  /** The named strategy; null or blank means {@code spread}. */
  public static Placement of(String strategyName) {
    String name = strategyName == null || strategyName.isBlank() ? SPREAD : strategyName.trim();
    if (name.equals(SPREAD)) {
      return new Placement(SPREAD, Comparator.comparingInt(HostLoad::containers).thenComparing(BY_NAME));
    }
    if (name.equals(BINPACK)) {
      return new Placement(BINPACK, Comparator.comparingInt(HostLoad::containers).reversed().thenComparing(BY_NAME));
    }
    throw new IllegalArgumentException("unknown placement strategy '" + strategyName + "': use " + SPREAD + " or " + BINPACK);
  }

  public String strategy() {
    return strategy;
  }

  /** Two placements are the same when their strategy is (configuration records compare by value). */
  @Override
  public boolean equals(Object other) {
    return other instanceof Placement p && p.strategy.equals(strategy);
  }

  @Override
  public int hashCode() {
    return strategy.hashCode();
  }

  /**
   * The name of the host the new object goes to.
   *
   * @throws PlacementException when no host can take it, with the reason for the tenant
   * @throws IllegalArgumentException when two hosts in the list share a name (a bug in the caller)
   */
  public String place(List<HostLoad> hosts, PlacementRequest request) {
    Objects.requireNonNull(hosts, "hosts");
    Objects.requireNonNull(request, "request");
    requireDistinctNames(hosts);
    // Objects on two hosts is a contradiction that no change of load will solve: say so first, rather
    // than a "try later" that would only turn into this answer later.
    if (request.pinnedHosts().size() > 1) {
      throw PlacementException.conflict("the volumes and networks this container uses are on different hosts: "
          + String.join(", ", request.pinnedHosts().stream().sorted().toList()));
    }

    List<HostLoad> inPool = keep(hosts, h -> h.placeable() && h.carries(request.poolLabels()));
    if (inPool.isEmpty()) {
      throw PlacementException.unavailable("no backend host " + poolPhrase(request) + "is available");
    }
    List<HostLoad> allowed = keep(inPool, h -> satisfiesAll(h, request.constraints()));
    if (allowed.isEmpty()) {
      throw PlacementException.unavailable(unsatisfiable(inPool, request.constraints()));
    }
    Optional<String> pinned = request.pinnedHosts().stream().findFirst();
    List<HostLoad> eligible = pinned.isEmpty() ? allowed : keep(allowed, h -> h.name().equals(pinned.get()));
    if (eligible.isEmpty()) {
      throw pinnedHostRefused(pinned.get(), hosts, request);
    }
    List<HostLoad> withRoom = keep(eligible, HostLoad::hasRoom);
    if (withRoom.isEmpty()) {
      throw PlacementException.unavailable(pinned.isPresent()
          ? "host " + pinned.get() + ", which holds the volumes and networks this container uses, is full"
          : request.constraints().isEmpty()
              ? "every host in your pool is full"
              : "every host in your pool that satisfies " + expressions(request.constraints()) + " is full");
    }
    // A host with the image saves a pull; only when none can take the container does any host do.
    List<HostLoad> withImage = keep(withRoom, h -> request.hostsWithImage().contains(h.name()));
    List<HostLoad> finalists = withImage.isEmpty() ? withRoom : withImage;
    return finalists.stream().min(preference).orElseThrow().name();
  }

  private static void requireDistinctNames(List<HostLoad> hosts) {
    Set<String> seen = new HashSet<>();
    for (HostLoad host : hosts) {
      if (!seen.add(host.name())) {
        throw new IllegalArgumentException("host " + host.name() + " appears twice in the placement candidates");
      }
    }
  }

  private static List<HostLoad> keep(List<HostLoad> hosts, Predicate<HostLoad> rule) {
    List<HostLoad> kept = new ArrayList<>();
    for (HostLoad host : hosts) {
      if (rule.test(host)) {
        kept.add(host);
      }
    }
    return kept;
  }

  private static boolean satisfiesAll(HostLoad host, List<Constraint> constraints) {
    for (Constraint c : constraints) {
      if (!c.matches(host)) {
        return false;
      }
    }
    return true;
  }

  /** "in your pool (labels {pool=gold}) ", or nothing for a tenant without a pool. Sorted for a stable text. */
  private static String poolPhrase(PlacementRequest request) {
    return request.poolLabels().isEmpty() ? "" : "in your pool (labels " + new TreeMap<>(request.poolLabels()) + ") ";
  }

  /**
   * Names the constraint to blame: the first that no available host satisfies on its own; when each
   * alone could be met but not all on one host, names them all, since blaming one would mislead.
   */
  private static String unsatisfiable(List<HostLoad> inPool, List<Constraint> constraints) {
    for (Constraint c : constraints) {
      if (keep(inPool, c::matches).isEmpty()) {
        return "no host satisfies constraint " + c.expression();
      }
    }
    return "no host satisfies the constraints " + expressions(constraints) + " together";
  }

  /** Why the one host holding the container's objects cannot take it: the first rule it fails. */
  private static PlacementException pinnedHostRefused(String pinned, List<HostLoad> hosts, PlacementRequest request) {
    String subject = "host " + pinned + ", which holds the volumes and networks this container uses, ";
    Optional<HostLoad> host = hosts.stream().filter(h -> h.name().equals(pinned)).findFirst();
    if (host.isEmpty() || !host.get().placeable()) {
      return PlacementException.unavailable(subject + "is not available");
    }
    if (!host.get().carries(request.poolLabels())) {
      return PlacementException.conflict(subject + "is not in your pool (labels " + new TreeMap<>(request.poolLabels()) + ")");
    }
    List<Constraint> failed = request.constraints().stream().filter(c -> !c.matches(host.get())).toList();
    return PlacementException.conflict(subject + "does not satisfy " + expressions(failed));
  }

  private static String expressions(List<Constraint> constraints) {
    return constraints.stream().map(Constraint::expression).collect(Collectors.joining(", "));
  }
}
