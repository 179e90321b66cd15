package io.portcullis.contracts.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * The process's meters. Every module registers its meters on {@link #registry()} (Micrometer's global
 * registry); the node adds the Prometheus registry that the admin port's {@code /metrics} serves, and
 * the JVM and process meters, once per process. Until then (unit tests of one module) meters go
 * nowhere and cost next to nothing.
 *
 * <p>Names follow Prometheus conventions once exported: {@code portcullis_..._total} counters, base
 * units ({@code _seconds}, {@code _bytes}). Labels are bounded: endpoint families, methods, status
 * classes, host names, rules; never tenants, containers or request ids (those are in the audit log).
 */
public final class NodeMetrics {
  private static PrometheusMeterRegistry prometheus;

  private NodeMetrics() {}

  /** Where meters are registered. */
  public static MeterRegistry registry() {
    return Metrics.globalRegistry;
  }

  /** The Prometheus registry of this process, created (with the JVM and process meters) on first use. */
  public static synchronized PrometheusMeterRegistry prometheus() {
    if (prometheus == null) {
      prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      Metrics.addRegistry(prometheus);
      new JvmMemoryMetrics().bindTo(prometheus);
      new JvmGcMetrics().bindTo(prometheus);
      new JvmThreadMetrics().bindTo(prometheus);
      new ClassLoaderMetrics().bindTo(prometheus);
      new ProcessorMetrics().bindTo(prometheus);
      new UptimeMetrics().bindTo(prometheus);
      new FileDescriptorMetrics().bindTo(prometheus);
    }
    return prometheus;
  }
}
