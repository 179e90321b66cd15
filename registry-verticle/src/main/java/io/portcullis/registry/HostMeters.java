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
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Each registered host's health as this node's registry sees it: {@code portcullis_backend_up{host}}
 * (1 up, 0 otherwise), {@code portcullis_backend_draining{host}}, and the health checks made
 * ({@code portcullis_backend_health_checks_total{host,state}}). The gauges read values the registry's
 * event loop sets (a scrape runs on another thread); a removed host's meters go with it.
 */
final class HostMeters {
  private final MeterRegistry registry = NodeMetrics.registry();
  private final Map<String, Host> byHost = new HashMap<>();

  private record Host(AtomicInteger up, AtomicInteger draining, List<Meter> meters) {}

  void registered(BackendHost host) {
    Host meters = byHost.computeIfAbsent(host.name(), name -> {
      AtomicInteger up = new AtomicInteger();
      AtomicInteger draining = new AtomicInteger();
      return new Host(up, draining, List.of(
          Gauge.builder("portcullis.backend.up", up, AtomicInteger::get)
              .description("1 when this node's health checks find the backend host up").tag("host", name).register(registry),
          Gauge.builder("portcullis.backend.draining", draining, AtomicInteger::get)
              .description("1 when the backend host takes no new placements").tag("host", name).register(registry)));
    });
    meters.up().set(host.state() == HostState.UP ? 1 : 0);
    meters.draining().set(host.draining() ? 1 : 0);
  }

  void checked(String host, HostState state) {
    Host meters = byHost.get(host);
    if (meters != null) {
      meters.up().set(state == HostState.UP ? 1 : 0);
    }
    Counter.builder("portcullis.backend.health.checks").description("health checks (/_ping) by outcome")
        .tag("host", host).tag("state", state.wireName()).register(registry).increment();
  }

  void draining(String host, boolean draining) {
    Host meters = byHost.get(host);
    if (meters != null) {
      meters.draining().set(draining ? 1 : 0);
    }
  }

  /** The registry stops: its gauges go (another registry of the process registers its own). */
  void removeAll() {
    new java.util.ArrayList<>(byHost.keySet()).forEach(this::removed);
  }

  void removed(String host) {
    Host meters = byHost.remove(host);
    if (meters != null) {
      meters.meters().forEach(registry::remove);
    }
  }
}
