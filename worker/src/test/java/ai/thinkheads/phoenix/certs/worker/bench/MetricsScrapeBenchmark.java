package ai.thinkheads.phoenix.certs.worker.bench;

import ai.thinkheads.phoenix.certs.activities.plugin.PluginRegistry;
import ai.thinkheads.phoenix.certs.worker.inventory.InventoryStore;
import ai.thinkheads.phoenix.certs.worker.metrics.CertificateStatusSource;
import ai.thinkheads.phoenix.certs.worker.metrics.MetricsAuth;
import ai.thinkheads.phoenix.certs.worker.metrics.MetricsRefresher;
import ai.thinkheads.phoenix.certs.worker.temporal.TemporalConnection;
import ai.thinkheads.phoenix.certs.worker.testing.FreePort;
import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateStatus;
import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateStatus.Outcome;
import ai.thinkheads.phoenix.certs.workflows.model.CertificateSpec;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Figures, printed, not asserted: GET /metrics with 500 certificates (10 guests, the local CA) over HTTP: scrape
 * wall time and size, the CPU one scrape costs, and the process' CPU over a window with a scrape every 15 s
 * against the same window without, measured in the same run. The statuses come from memory (what the status
 * projection will give), so the figures are the metrics' own; the query path they replace is issue 12's.
 * Targets: a scrape under 100 ms, under 2% of a core added. Run: {@code bin/bench MetricsScrapeBenchmark}.
 */
@Tag("benchmark")
class MetricsScrapeBenchmark {

  static final int CERTIFICATES = 500;
  static final int GUESTS = 10;
  static final int SCRAPES = 100;
  static final Duration WINDOW = Duration.ofSeconds(45);
  static final Duration SCRAPE_EVERY = Duration.ofSeconds(15);

  @TempDir
  Path dir;

  @Test
  void scrapeOf500Certificates() throws Exception {
    StringBuilder yaml = new StringBuilder("ca: {type: local, dataDir: " + dir + "/ca}\nguests:\n");
    for (int g = 0; g < GUESTS; g++) {
      yaml.append("  - {name: guest-").append(g).append(", kind: local}\n");
    }
    yaml.append("certificates:\n");
    for (int i = 0; i < CERTIFICATES; i++) {
      yaml.append("  - {name: cert-").append(i).append(", guest: guest-").append(i % GUESTS)
          .append(", sans: [cert-").append(i).append(".internal.test], lifetime: 24h, files: {cert: ").append(dir)
          .append("/c").append(i).append(".crt, key: ").append(dir).append("/c").append(i).append(".key}}\n");
    }
    Path file = dir.resolve("inventory.yaml");
    Files.writeString(file, yaml);
    int port = FreePort.next();
    try (ApplicationContext context = ApplicationContext.run(Map.of("micronaut.server.port", port));
        TemporalConnection temporal = TemporalConnection.embedded(FreePort.next())) {
      InventoryStore inventory = InventoryStore.open(file, context.getBean(PluginRegistry.class));
      PrometheusMeterRegistry registry = context.getBean(PrometheusMeterRegistry.class);
      Instant now = Instant.now();
      List<CertificateStatus> statuses = new ArrayList<>();
      for (CertificateSpec spec : inventory.get().certificates()) {
        statuses.add(CertificateStatus.initial(spec.name(), spec.target().guestId())
            .withLive("0a1b2c", now.plus(Duration.ofHours(20))).withNextRenewal(now.plus(Duration.ofHours(12)))
            .succeeded(Outcome.RENEWED, now));
      }
      CertificateStatusSource source = () -> statuses;
      MetricsRefresher refresher = new MetricsRefresher(registry, temporal.client(), inventory, source,
          Clock.systemUTC());
      for (int i = 0; i < 10; i++) { // warm-up: JIT, the first registration of every series
        refresher.refresh();
      }
      List<Double> refreshMillis = new ArrayList<>();
      long refreshCpu = cpu();
      for (int i = 0; i < 20; i++) {
        long start = System.nanoTime();
        refresher.refresh();
        refreshMillis.add((System.nanoTime() - start) / 1e6);
      }
      refreshCpu = (cpu() - refreshCpu) / 20;
      context.getBean(MetricsAuth.class).enable(null);
      context.getBean(EmbeddedServer.class).start();
      HttpClient http = HttpClient.newHttpClient();
      HttpRequest scrape = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build();
      for (int i = 0; i < 20; i++) { // warm-up: JIT, connection
        http.send(scrape, HttpResponse.BodyHandlers.ofString());
      }
      List<Double> scrapeMillis = new ArrayList<>();
      int bytes = 0;
      int series = 0;
      long scrapeCpu = cpu();
      for (int i = 0; i < SCRAPES; i++) {
        long start = System.nanoTime();
        HttpResponse<String> answer = http.send(scrape, HttpResponse.BodyHandlers.ofString());
        scrapeMillis.add((System.nanoTime() - start) / 1e6);
        bytes = answer.body().length();
        series = (int) answer.body().lines().filter(l -> l.startsWith("phoenix_certificate_")).count();
      }
      scrapeCpu = (cpu() - scrapeCpu) / SCRAPES;

      // the same process over two equal windows, refreshing every 15 s in both: no scrape, then one every 15 s
      long idle = window(refresher, () -> { });
      long scraped = window(refresher, () -> {
        try {
          http.send(scrape, HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });

      System.out.printf("%n== GET /metrics with %d certificates on %d guests (local CA; statuses from memory)%n",
          CERTIFICATES, GUESTS);
      System.out.printf("refresh (statuses -> series, 10 guests' onboardings asked of the in-process server, the CA): "
          + "median %.1f ms, max %.1f ms, %.1f ms CPU each%n",
          median(refreshMillis), Collections.max(refreshMillis), refreshCpu / 1e6);
      System.out.printf("scrape over HTTP: median %.1f ms, p95 %.1f ms, max %.1f ms (target < 100 ms); %d bytes, "
          + "%d phoenix_certificate_* series; %.1f ms CPU each%n", median(scrapeMillis),
          percentile(scrapeMillis, 95), Collections.max(scrapeMillis), bytes, series, scrapeCpu / 1e6);
      System.out.printf("a scrape every 15 s costs %.3f%% of a core (per-scrape CPU / 15 s)%n",
          100.0 * scrapeCpu / SCRAPE_EVERY.toNanos());
      System.out.printf("process CPU over %d s: %.3f%% of a core without scrapes (baseline, refresh every 15 s), "
          + "%.3f%% with a scrape every 15 s: %+.3f%% added (target < 2%%)%n", WINDOW.toSeconds(),
          100.0 * idle / WINDOW.toNanos(), 100.0 * scraped / WINDOW.toNanos(),
          100.0 * (scraped - idle) / WINDOW.toNanos());
    }
  }

  /** CPU the process used over {@link #WINDOW}, refreshing every 15 s and running {@code each} every 15 s. */
  private static long window(MetricsRefresher refresher, Runnable each) throws InterruptedException {
    long start = cpu();
    long end = System.nanoTime() + WINDOW.toNanos();
    while (System.nanoTime() < end) {
      refresher.refresh();
      each.run();
      Thread.sleep(Math.min(SCRAPE_EVERY.toMillis(), Math.max(0, (end - System.nanoTime()) / 1_000_000)));
    }
    return cpu() - start;
  }

  private static long cpu() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  private static double median(List<Double> values) {
    return percentile(values, 50);
  }

  private static double percentile(List<Double> values, int p) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
  }
}
