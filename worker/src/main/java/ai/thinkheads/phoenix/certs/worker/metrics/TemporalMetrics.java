package ai.thinkheads.phoenix.certs.worker.metrics;

import com.uber.m3.tally.RootScopeBuilder;
import com.uber.m3.tally.Scope;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.temporal.common.reporter.MicrometerClientStatsReporter;
import java.time.Duration;

/**
 * The Temporal SDK's own meters (workflow task latencies, activity failures, pollers, sticky cache...) through its
 * Micrometer reporter, under the names the SDK gives them ({@code temporal_*}), so the standard Temporal SDK
 * dashboards work unchanged. Their latencies are published as Prometheus histograms ({@code _bucket}), which
 * those dashboards' {@code histogram_quantile} panels read.
 */
public final class TemporalMetrics {

  /** How often the SDK's buffered meters reach the registry. */
  static final Duration REPORT_EVERY = Duration.ofSeconds(10);

  static final MeterFilter HISTOGRAMS = new MeterFilter() {
    @Override
    public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
      if (id.getType() == Meter.Type.TIMER && id.getName().startsWith("temporal")) {
        return DistributionStatisticConfig.builder().percentilesHistogram(true).build().merge(config);
      }
      return config;
    }
  };

  private TemporalMetrics() {}

  /** The scope to give the service stubs: the worker and the client report through it. Close it on shutdown. */
  public static Scope scope(MeterRegistry registry) {
    return new RootScopeBuilder()
        .reporter(new MicrometerClientStatsReporter(registry))
        .reportEvery(com.uber.m3.util.Duration.ofMillis(REPORT_EVERY.toMillis()));
  }
}
