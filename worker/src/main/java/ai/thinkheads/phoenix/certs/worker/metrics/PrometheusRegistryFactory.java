package ai.thinkheads.phoenix.certs.worker.metrics;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;

/** The one registry every meter of the worker goes to: Temporal's SDK meters and phoenix_* alike. */
@Factory
public class PrometheusRegistryFactory {

  @Singleton
  PrometheusMeterRegistry registry() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    registry.config().meterFilter(TemporalMetrics.HISTOGRAMS);
    return registry;
  }
}
