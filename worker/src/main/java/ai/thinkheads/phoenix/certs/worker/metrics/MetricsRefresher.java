package ai.thinkheads.phoenix.certs.worker.metrics;

import ai.thinkheads.phoenix.certs.worker.inventory.InventorySnapshot;
import ai.thinkheads.phoenix.certs.workflows.audit.AuditReport;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.temporal.client.WorkflowClient;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the certificates' statuses, the guests' onboardings and the CA on a timer (at once when started, then
 * every {@code phoenix.metrics.refresh}) and sets the series a scrape reads: a scrape costs no query, however
 * many certificates there are, and a restarted worker shows the workflows' values from its first refresh.
 */
public final class MetricsRefresher implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(MetricsRefresher.class);

  private final Supplier<InventorySnapshot> inventory;
  private final CertificateStatusSource statuses;
  private final CertificateMetrics certificates;
  private final GuestMetrics guests;
  private final CaMetrics ca;
  private final AuditMetrics audit;
  private final Supplier<Optional<AuditReport>> audits;
  private final Clock clock;
  private final AtomicLong lastRefreshMillis = new AtomicLong();
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread thread = new Thread(r, "metrics-refresh");
    thread.setDaemon(true);
    return thread;
  });

  public MetricsRefresher(MeterRegistry registry, WorkflowClient client, Supplier<InventorySnapshot> inventory,
      CertificateStatusSource statuses, Clock clock) {
    this(registry, client, inventory, statuses, Optional::empty, clock);
  }

  /** @param audits the latest estate audit (the worker's audit archive), empty before the first */
  public MetricsRefresher(MeterRegistry registry, WorkflowClient client, Supplier<InventorySnapshot> inventory,
      CertificateStatusSource statuses, Supplier<Optional<AuditReport>> audits, Clock clock) {
    this.inventory = inventory;
    this.audits = audits;
    this.statuses = statuses;
    this.clock = clock;
    certificates = new CertificateMetrics(registry);
    guests = new GuestMetrics(registry, client);
    ca = new CaMetrics(registry);
    audit = new AuditMetrics(registry);
    Gauge.builder("phoenix_metrics_refresh_timestamp_seconds", lastRefreshMillis, millis -> millis.get() / 1000.0)
        .description("When the phoenix_* values were last read from the workflows and the CA").register(registry);
  }

  public MetricsRefresher start(Duration every) {
    timer.scheduleWithFixedDelay(this::refresh, 0, Math.max(every.toMillis(), 100), TimeUnit.MILLISECONDS);
    return this;
  }

  /** One refresh; each part on its own, so a CA that does not answer leaves the certificates' values current. */
  public void refresh() {
    InventorySnapshot snapshot = inventory.get();
    try {
      certificates.update(snapshot.certificates(), statuses.statuses(), clock.instant());
    } catch (RuntimeException e) {
      log.warn("metrics: cannot read the certificates' statuses: {}", e.toString());
    }
    try {
      guests.update(snapshot.guests());
    } catch (RuntimeException e) {
      log.warn("metrics: cannot read the guests' onboardings: {}", e.toString());
    }
    ca.update(snapshot.issuer());
    try {
      audit.update(audits.get());
    } catch (RuntimeException e) {
      log.warn("metrics: cannot read the latest audit: {}", e.toString());
    }
    lastRefreshMillis.set(clock.millis());
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
