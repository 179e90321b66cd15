package io.portcullis.registry;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.portcullis.contracts.BackendHost;
import io.portcullis.contracts.BackendHost.HostState;
import io.portcullis.contracts.metrics.NodeMetrics;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Each registered host's health as this node's registry sees it: {@code portcullis_backend_up{host}}
 * (1 up, 0 otherwise), {@code portcullis_backend_draining{host}}, and the health checks made
 * ({@code portcullis_backend_health_checks_total{host,state}}). A removed host's meters go with it.
 */
final class HostMeters {
  private final HostTable table;
  private final MeterRegistry registry = NodeMetrics.registry();
  private final Map<String, List<Meter>> byHost = new HashMap<>();

  HostMeters(HostTable table) {
    this.table = table;
  }

  void registered(String host) {
    byHost.computeIfAbsent(host, name -> List.of(
        Gauge.builder("portcullis.backend.up", table, t -> t.get(name).map(h -> h.state() == HostState.UP ? 1.0 : 0.0).orElse(0.0))
            .description("1 when this node's health checks find the backend host up").tag("host", name).register(registry),
        Gauge.builder("portcullis.backend.draining", table, t -> t.get(name).map(h -> h.draining() ? 1.0 : 0.0).orElse(0.0))
            .description("1 when the backend host takes no new placements").tag("host", name).register(registry)));
  }

  void checked(String host, HostState state) {
    Counter.builder("portcullis.backend.health.checks").description("health checks (/_ping) by outcome")
        .tag("host", host).tag("state", state.wireName()).register(registry).increment();
  }

  void removed(String host) {
    List<Meter> meters = byHost.remove(host);
    if (meters != null) {
      meters.forEach(registry::remove);
    }
  }
}
