package ai.thinkheads.phoenix.certs.worker.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.thinkheads.phoenix.certs.activities.crypto.Pem;
import ai.thinkheads.phoenix.certs.activities.plugin.PluginRegistry;
import ai.thinkheads.phoenix.certs.activities.testing.Polling;
import ai.thinkheads.phoenix.certs.worker.engine.Engine;
import ai.thinkheads.phoenix.certs.worker.http.EventsServer;
import ai.thinkheads.phoenix.certs.worker.inventory.InventoryStore;
import ai.thinkheads.phoenix.certs.worker.temporal.TemporalConnection;
import ai.thinkheads.phoenix.certs.worker.testing.FreePort;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.micronaut.context.ApplicationContext;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * GET /metrics on the worker's HTTP server, over HTTP, with real certificates from the local CA: the bearer token
 * of its own, the events endpoint off while metrics run, the Temporal SDK's meters, and every phoenix_* value
 * checked against the certificate files on disk and the CA's own files.
 */
class MetricsEndpointTest {

  static final String TOKEN = "metrics-token-0123456789abcdef";
  /** The Temporal SDK's meters, under the names its dashboards use; they reach the registry every 10 s. */
  static final List<String> SDK_METERS = List.of("temporal_worker_start_total", "temporal_poller_start_total",
      "temporal_num_pollers", "temporal_workflow_task_schedule_to_start_latency_seconds_bucket",
      "temporal_workflow_task_execution_latency_seconds_bucket", "temporal_activity_execution_latency_seconds_bucket",
      "temporal_worker_task_slots_available", "temporal_sticky_cache_size");

  @TempDir
  Path dir;

  private ApplicationContext context;
  private Engine engine;
  private EventsServer server;
  private MetricsRefresher refresher;
  private final HttpClient http = HttpClient.newHttpClient();

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
    if (refresher != null) {
      refresher.close();
    }
    if (engine != null) {
      engine.close();
    }
    if (context != null) {
      context.close();
    }
  }

  @Test
  void scrapedValuesAreTheCertificatesOwn() throws Exception {
    Path tokenFile = dir.resolve("metrics.token");
    Files.writeString(tokenFile, TOKEN + "\n");
    Path inventoryFile = dir.resolve("inventory.yaml");
    Files.writeString(inventoryFile, """
        ca: {type: local, dataDir: %1$s/ca}
        guests:
          - {name: this-machine, kind: local}
        certificates:
          - {name: web, guest: this-machine, sans: [web.test], lifetime: 10m,
             files: {cert: %1$s/web.crt, key: %1$s/web.key}}
          - {name: api, guest: this-machine, sans: [api.test], lifetime: 20m, key: rsa-2048,
             files: {cert: %1$s/api.crt, key: %1$s/api.key}}
        """.formatted(dir));
    int port = FreePort.next();
    context = ApplicationContext.run(Map.of("micronaut.server.port", port,
        "phoenix.metrics.token-file", tokenFile.toString(), "phoenix.events.enabled", false));
    PrometheusMeterRegistry registry = context.getBean(PrometheusMeterRegistry.class);
    InventoryStore inventory = InventoryStore.open(inventoryFile, context.getBean(PluginRegistry.class));
    engine = Engine.start(inventory, context.getBean(PluginRegistry.class),
        TemporalConnection.embedded(FreePort.next(), TemporalMetrics.scope(registry)), Duration.ofHours(1));
    server = EventsServer.start(context, engine, false).orElseThrow(() -> new AssertionError(
        "with events off, the server still runs for /metrics"));
    refresher = new MetricsRefresher(registry, engine.client(), inventory,
        new ProjectedStatusSource(engine.statuses()), Clock.systemUTC())
        .start(Duration.ofMillis(500));
    URI metrics = URI.create("http://127.0.0.1:" + port + "/metrics");

    HttpResponse<String> anonymous = http.send(Scrape.request(metrics, null), HttpResponse.BodyHandlers.ofString());
    assertEquals(401, anonymous.statusCode(), anonymous.body());
    assertEquals(401, http.send(Scrape.request(metrics, TOKEN + "x"), HttpResponse.BodyHandlers.ofString())
        .statusCode());
    HttpResponse<String> events = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
        + "/events/guest")).POST(HttpRequest.BodyPublishers.ofString("{}")).header("Content-Type",
        "application/json").build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(404, events.statusCode(), "the events endpoint is off: " + events.body());

    // both issued, and the refresh has seen them, and the SDK's buffered meters reached the registry (10 s)
    Scrape scrape = Polling.await(() -> scrape(metrics),
        s -> s.find("phoenix_certificate_expiration_timestamp_seconds").size() == 2
            && s.value("phoenix_certificate_renewals_total", "name", "api", "outcome", "renewed").orElse(0) == 1
            && s.value("phoenix_certificate_renewals_total", "name", "web", "outcome", "renewed").orElse(0) == 1
            && SDK_METERS.stream().allMatch(name -> !s.find(name).isEmpty()),
        Duration.ofSeconds(60), Duration.ofMillis(500));
    HttpResponse<String> raw = http.send(Scrape.request(metrics, TOKEN), HttpResponse.BodyHandlers.ofString());
    assertTrue(raw.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"),
        raw.headers().toString());

    for (String name : List.of("web", "api")) {
      List<X509Certificate> chain = Pem.certificates(Files.readString(dir.resolve(name + ".crt")));
      X509Certificate leaf = chain.get(0);
      String[] labels = {"name", name, "guest", "local/this-machine", "issuer", "local"};
      assertEquals(leaf.getNotAfter().getTime() / 1000.0,
          scrape.value("phoenix_certificate_expiration_timestamp_seconds", labels).orElseThrow(), 0.001, name);
      double lifetime = (leaf.getNotAfter().getTime() - leaf.getNotBefore().getTime()) / 1000.0;
      double renewal = scrape.value("phoenix_certificate_renewal_timestamp_seconds", labels).orElseThrow();
      assertTrue(renewal > leaf.getNotBefore().getTime() / 1000.0 + lifetime / 2
          && renewal < leaf.getNotAfter().getTime() / 1000.0, name + ": renewal point at 2/3 of the lifetime");
      assertEquals(1.0, scrape.value("phoenix_certificate_ready_status", "name", name, "condition", "True")
          .orElseThrow());
      assertEquals(0.0, scrape.value("phoenix_certificate_ready_status", "name", name, "condition", "False")
          .orElseThrow());
      assertEquals(0.0, scrape.value("phoenix_certificate_ready_status", "name", name, "condition", "Unknown")
          .orElseThrow());
      assertEquals(0.0, scrape.value("phoenix_certificate_renewals_total", "name", name, "outcome", "failed")
          .orElseThrow());
      assertEquals(0.0, scrape.value("phoenix_certificate_renewals_total", "name", name, "outcome", "rolled_back")
          .orElseThrow());
      assertEquals(0.0, scrape.value("phoenix_certificate_last_failure_timestamp_seconds", labels).orElseThrow());
      assertEquals(0.0, scrape.value("phoenix_certificate_consecutive_failures", labels).orElseThrow());
      assertFalse(scrape.text.contains(leaf.getSerialNumber().toString(16)), "no serial in any label");
    }
    assertEquals(600.0, scrape.value("phoenix_certificate_lifetime_seconds", "name", "web").orElseThrow());

    List<X509Certificate> chain = Pem.certificates(Files.readString(dir.resolve("web.crt")));
    X509Certificate root = Pem.certificates(Files.readString(dir.resolve("ca/root_ca.crt"))).get(0);
    X509Certificate intermediate = Pem.certificates(Files.readString(dir.resolve("ca/intermediate_ca.crt"))).get(0);
    assertEquals(chain.get(0).getIssuerX500Principal(), intermediate.getSubjectX500Principal());
    assertEquals(root.getNotAfter().getTime() / 1000.0, scrape.value(
        "phoenix_ca_certificate_expiration_timestamp_seconds", "issuer", "local", "role", "root").orElseThrow());
    assertEquals(intermediate.getNotAfter().getTime() / 1000.0, scrape.value(
        "phoenix_ca_certificate_expiration_timestamp_seconds", "issuer", "local", "role", "intermediate")
        .orElseThrow());
    assertEquals(1.0, scrape.value("phoenix_ca_up", "issuer", "local").orElseThrow());

    // the guest was never onboarded: it is not known to trust the root
    assertEquals(1.0, scrape.value("phoenix_guest_onboarding_status", "guest", "local/this-machine",
        "outcome", "none").orElseThrow(), scrape.text);
    assertEquals(0.0, scrape.value("phoenix_guest_trusts_root", "guest", "local/this-machine").orElseThrow());

    // the Temporal SDK's own meters, under the names its dashboards use
    for (String sdk : SDK_METERS) {
      assertFalse(scrape.find(sdk).isEmpty(), sdk + " missing from:\n" + names(scrape));
    }
  }

  private Scrape scrape(URI metrics) {
    try {
      return Scrape.get(http, metrics, TOKEN);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static String names(Scrape scrape) {
    return String.join("\n", scrape.samples.stream().map(Scrape.Sample::name).distinct().sorted().toList());
  }
}
