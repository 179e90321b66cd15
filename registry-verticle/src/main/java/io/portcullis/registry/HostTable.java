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

  /** Adds or replaces a host; a re-registration keeps the known health when the address is unchanged. */
  BackendHost register(BackendHost host) {
    BackendHost previous = hosts.get(host.name());
    BackendHost stored = previous != null && previous.uri().equals(host.uri()) ? host.withState(previous.state()) : host;
    hosts.put(host.name(), stored);
    return stored;
  }

  /** Records a health verdict; returns the host if its state changed. */
  Optional<BackendHost> updateState(String name, HostState state) {
    BackendHost current = hosts.get(name);
    if (current == null || current.state() == state) {
      return Optional.empty();
    }
    BackendHost updated = current.withState(state);
    hosts.put(name, updated);
    return Optional.of(updated);
  }

  List<BackendHost> all() {
    return new ArrayList<>(hosts.values());
  }

  /**
   * Chooses the host for a call. Hosts known to be down are skipped; when none is known to be up the
   * first registered host is returned anyway, so the edge tries it and reports the precise failure.
   * Placement strategies and object routing across hosts belong to the placement work (issue 5).
   */
  Route route(RouteRequest request) {
    if (hosts.isEmpty()) {
      throw ApiException.unavailable("no backend Docker host is registered with the gateway");
    }
    for (BackendHost host : hosts.values()) {
      if (host.state() != HostState.DOWN) {
        return new Route(host);
      }
    }
    return new Route(hosts.values().iterator().next());
  }
}
