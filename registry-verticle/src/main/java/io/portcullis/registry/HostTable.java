package io.portcullis.registry;

import io.portcullis.contracts.ApiException;
import io.portcullis.contracts.BackendHost;
import io.portcullis.contracts.BackendHost.HostState;
import io.portcullis.contracts.Route;
import io.portcullis.contracts.RouteRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The backend hosts this node knows, in registration order, with their health. Plain logic, no bus:
 * the verticle wires it, tests drive it directly.
 */
final class HostTable {
  private final Map<String, BackendHost> hosts = new LinkedHashMap<>();
  /** Failed pings in a row, per host, while it is still counted up. */
  private final Map<String, Integer> failures = new java.util.HashMap<>();

  /** Adds or replaces a host; a re-registration keeps the known health when the address is unchanged. */
  BackendHost register(BackendHost host) {
    BackendHost previous = hosts.get(host.name());
    BackendHost stored = previous != null && previous.uri().equals(host.uri()) ? host.withState(previous.state()) : host;
    hosts.put(host.name(), stored);
    return stored;
  }

  /**
   * Records one health check: an up host turns down only after {@code failuresBeforeDown} failed
   * checks in a row (one slow ping is not an outage); any other change takes effect at once. Returns
   * the host if its state changed.
   */
  Optional<BackendHost> recordCheck(String name, HostState verdict, int failuresBeforeDown) {
    BackendHost current = hosts.get(name);
    if (current == null) {
      return Optional.empty();
    }
    if (verdict == HostState.DOWN && current.state() == HostState.UP) {
      int failed = failures.merge(name, 1, Integer::sum);
      if (failed < failuresBeforeDown) {
        return Optional.empty();
      }
    }
    failures.remove(name);
    return updateState(name, verdict);
  }

  /** Sets or clears a host's drain flag; returns the host if it changed. */
  Optional<BackendHost> setDraining(String name, boolean draining) {
    return replace(name, current -> current.withDraining(draining));
  }

  /** Forgets a host; returns it if it was known. */
  Optional<BackendHost> remove(String name) {
    failures.remove(name);
    return Optional.ofNullable(hosts.remove(name));
  }

  Optional<BackendHost> get(String name) {
    return Optional.ofNullable(hosts.get(name));
  }

  /** Records a health verdict; returns the host if its state changed. */
  Optional<BackendHost> updateState(String name, HostState state) {
    return replace(name, current -> current.withState(state));
  }

  /** Replaces a known host by {@code change} of it; returns the new one if it differs. */
  private Optional<BackendHost> replace(String name, java.util.function.UnaryOperator<BackendHost> change) {
    BackendHost current = hosts.get(name);
    if (current == null) {
      return Optional.empty();
    }
    BackendHost updated = change.apply(current);
    if (updated.equals(current)) {
      return Optional.empty();
    }
    hosts.put(name, updated);
    return Optional.of(updated);
  }

  List<BackendHost> all() {
    return new ArrayList<>(hosts.values());
  }

  /**
   * Chooses the host for a call. Hosts known to be down are skipped; when none is known to be up the
   * first registered host is returned anyway, so the edge tries it and reports the precise failure.
   * Calls that address an object are located instead; new objects are placed.
   */
  Route route(RouteRequest request) {
    return route(request, Map.of());
  }

  /** As {@link #route(RouteRequest)}, within the hosts that carry the tenant's pool labels. */
  Route route(RouteRequest request, Map<String, String> pool) {
    if (hosts.isEmpty()) {
      throw ApiException.unavailable("no backend Docker host is registered with the gateway");
    }
    List<BackendHost> inPool = pool(pool);
    if (inPool.isEmpty()) {
      throw ApiException.unavailable("no backend Docker host is in your pool (labels " + new java.util.TreeMap<>(pool) + ")");
    }
    for (BackendHost host : inPool) {
      if (host.state() != HostState.DOWN) {
        return new Route(host, inPool);
      }
    }
    return new Route(inPool.get(0), inPool);
  }

  /** The hosts carrying every one of these labels, in registration order. */
  List<BackendHost> pool(Map<String, String> labels) {
    List<BackendHost> inPool = new ArrayList<>();
    for (BackendHost host : hosts.values()) {
      if (labels.entrySet().stream().allMatch(l -> l.getValue().equals(host.labels().get(l.getKey())))) {
        inPool.add(host);
      }
    }
    return inPool;
  }
}
