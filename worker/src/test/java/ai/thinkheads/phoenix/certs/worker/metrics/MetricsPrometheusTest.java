package ai.thinkheads.phoenix.certs.worker.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.thinkheads.phoenix.certs.activities.crypto.Pem;
import ai.thinkheads.phoenix.certs.activities.testing.Polling;
import ai.thinkheads.phoenix.certs.activities.testing.stepca.StepCaServer;
import ai.thinkheads.phoenix.certs.worker.temporal.TemporalConnection;
import ai.thinkheads.phoenix.certs.worker.testing.FreePort;
import ai.thinkheads.phoenix.certs.worker.testing.WorkerProcesses;
import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateWorkflow;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole path, with real parts: a step-ca on loopback issues minutes-long certificates to a worker process
 * ({@code run}, as operators start it) against a Temporal server in this JVM; a real Prometheus scrapes the
 * worker's /metrics with the metrics token and evaluates the repository's own alert rules. Prometheus' HTTP API
 * must show each certificate's notAfter and the CA's root and intermediate expiry; with the CA stopped, a
 * requested renewal fails, the failure series rise, phoenix_ca_up drops and PhoenixCertificateRenewalFailing fires
 * in /api/v1/alerts. A new worker process then shows the same values from its first refresh: they come from the
 * workflows, not from what the first process saw.
 */
class MetricsPrometheusTest {

  static final String TOKEN = "metrics-token-0123456789abcdef";
  static final Path RULES = Path.of("..", "deploy", "prometheus", "rules", "phoenix-certs.yml").toAbsolutePath()
      .normalize();

  static final Path DASHBOARD = Path.of("..", "deploy", "grafana", "phoenix-certs-dashboard.json").toAbsolutePath()
      .normalize();

  @TempDir
  Path dir;

  private StepCaServer ca;
  private TemporalConnection temporal;
  private WorkerProcesses workers;
  private PrometheusServer prometheus;
  private final HttpClient http = HttpClient.newHttpClient();

  @AfterEach
  void stop() throws Exception {
    if (prometheus != null) {
      prometheus.close();
    }
    if (workers != null) {
      workers.close();
    }
    if (temporal != null) {
      temporal.close();
    }
    if (ca != null) {
      ca.close();
    }
  }

  @Test
  void prometheusSeesTheCertificatesAndTheFailureAlertFires() throws Exception {
    ca = StepCaServer.launch(List.of());
    Path token = dir.resolve("metrics.token");
    Files.writeString(token, TOKEN + "\n");
    Path inventory = dir.resolve("inventory.yaml");
    Files.writeString(inventory, """
        ca: {type: step-ca, url: "%s", fingerprint: %s, provisioner: %s, passwordFile: %s}
        guests:
          - {name: this-machine, kind: local}
        certificates:
          - {name: web, guest: this-machine, sans: [web.internal.test], lifetime: 5m,
             files: {cert: %5$s/web.crt, key: %5$s/web.key}}
          - {name: api, guest: this-machine, sans: [api.internal.test], lifetime: 8m,
             files: {cert: %5$s/api.crt, key: %5$s/api.key}}
        """.formatted(ca.url(), ca.fingerprint(), ca.provisioner(), ca.passwordFile(), dir));
    int temporalPort = FreePort.next();
    temporal = TemporalConnection.embedded(temporalPort);
    int workerPort = FreePort.next();
    Map<String, String> environment = new HashMap<>(Map.of("MICRONAUT_SERVER_PORT", String.valueOf(workerPort),
        "PHOENIX_METRICS_TOKEN_FILE", token.toString(), "PHOENIX_METRICS_REFRESH", "1s"));
    workers = new WorkerProcesses(dir);
    workers.start(inventory, temporalPort, "first", environment);

    Path config = dir.resolve("prometheus.yml");
    Files.writeString(config, """
        global: {scrape_interval: 1s, evaluation_interval: 1s}
        rule_files: ["%s"]
        scrape_configs:
          - job_name: phoenix-certs
            authorization: {type: Bearer, credentials_file: "%s"}
            static_configs: [{targets: ["127.0.0.1:%d"]}]
        """.formatted(RULES, token, workerPort));
    prometheus = PrometheusServer.start(config, dir, FreePort.next());

    // 1. the expiry series equal each certificate's notAfter, as Prometheus stored them
    JsonNode expiries = explained(() -> Polling.await(() -> query("phoenix_certificate_expiration_timestamp_seconds"),
        result -> result.size() == 2, Duration.ofSeconds(120), Duration.ofSeconds(1)), "first");
    Map<String, Double> before = new HashMap<>();
    for (JsonNode series : expiries) {
      String name = series.path("metric").path("name").asText();
      assertEquals("this-machine", series.path("metric").path("guest").asText().replaceFirst("^local/", ""));
      assertEquals("step-ca", series.path("metric").path("issuer").asText());
      assertEquals("phoenix-certs", series.path("metric").path("job").asText());
      X509Certificate leaf = chain(name).get(0);
      double value = Double.parseDouble(series.path("value").get(1).asText());
      assertEquals(leaf.getNotAfter().getTime() / 1000.0, value, 0.001, name + "'s notAfter");
      before.put(name, value);
    }
    assertEquals(2, query("phoenix_certificate_ready_status{condition=\"True\"} == 1").size(),
        "both ready: " + query("phoenix_certificate_ready_status"));
    assertEquals(ca.root().getNotAfter().getTime() / 1000.0,
        single("phoenix_ca_certificate_expiration_timestamp_seconds{role=\"root\"}"), 0.001);
    List<X509Certificate> webChain = chain("web");
    assertTrue(webChain.size() >= 2, "the deployed file holds the intermediate");
    assertEquals(webChain.get(1).getNotAfter().getTime() / 1000.0,
        single("phoenix_ca_certificate_expiration_timestamp_seconds{role=\"intermediate\"}"), 0.001);
    assertEquals(1.0, single("phoenix_ca_up"));
    assertEquals(0, query("ALERTS{alertname=\"PhoenixCertificateRenewalFailing\"}").size());

    // 2. the CA stops; a renewal of web is asked for and fails, twice in a row (each attempt retries its steps)
    ca.stop();
    client().newWorkflowStub(CertificateWorkflow.class, CertificateWorkflow.workflowIdFor("web")).renewNow();
    JsonNode firing = explained(() -> Polling.await(this::firingRenewalAlerts, alerts -> !alerts.isEmpty(),
        Duration.ofSeconds(240), Duration.ofSeconds(1)), "first");
    assertEquals(1, firing.size(), firing.toString());
    assertEquals("web", firing.get(0).path("labels").path("name").asText());
    assertEquals("warning", firing.get(0).path("labels").path("severity").asText());
    assertTrue(single("phoenix_certificate_renewals_total{name=\"web\",outcome=\"failed\"}") >= 2,
        "web: " + query("{__name__=~\"phoenix_certificate_.*\",name=\"web\"}"));
    assertEquals(0.0, single("phoenix_certificate_renewals_total{name=\"api\",outcome=\"failed\"}"));
    assertTrue(single("phoenix_certificate_last_failure_timestamp_seconds{name=\"web\"}") > 0);
    assertEquals(0.0, single("phoenix_ca_up"), "the CA is down");
    assertEquals(before.get("web"), single("phoenix_certificate_expiration_timestamp_seconds{name=\"web\"}"),
        0.001, "the live pair did not change");
    double failedBefore = single("phoenix_certificate_renewals_total{name=\"web\",outcome=\"failed\"}");
    // every query of the Grafana dashboard is valid PromQL over series that exist
    JsonNode dashboard = new com.fasterxml.jackson.databind.ObjectMapper().readTree(DASHBOARD.toFile());
    int queries = 0;
    for (JsonNode panel : dashboard.path("panels")) {
      for (JsonNode target : panel.path("targets")) {
        String expr = target.path("expr").asText();
        assertTrue(query(expr).size() > 0, panel.path("title").asText() + ": " + expr + " selects nothing");
        queries++;
      }
    }
    assertEquals(11, queries);

    // 3. a new worker process shows the same values from the workflows
    workers.close();
    workers = new WorkerProcesses(dir);
    workers.start(inventory, temporalPort, "second", environment);
    URI metrics = URI.create("http://127.0.0.1:" + workerPort + "/metrics");
    Scrape scrape = Polling.await(() -> {
      try {
        return Scrape.get(http, metrics, TOKEN);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }, s -> s.find("phoenix_certificate_expiration_timestamp_seconds").size() == 2, Duration.ofSeconds(120),
        Duration.ofSeconds(1));
    for (String name : List.of("web", "api")) {
      assertEquals(before.get(name), scrape.value("phoenix_certificate_expiration_timestamp_seconds", "name", name)
          .orElseThrow(), 0.001, name + " after the restart");
    }
    double failedAfter = scrape.value("phoenix_certificate_renewals_total", "name", "web", "outcome", "failed")
        .orElseThrow();
    assertTrue(failedAfter >= failedBefore, "failures are the workflow's count (" + failedAfter + " >= "
        + failedBefore + "), not the new process's");
    assertTrue(scrape.value("phoenix_certificate_consecutive_failures", "name", "web").orElseThrow() >= 2);
  }

  interface Wait<T> {
    T get() throws Exception;
  }

  /** What the worker and Prometheus said, when a wait fails: the test's temp dir is gone afterwards. */
  private <T> T explained(Wait<T> wait, String worker) throws Exception {
    try {
      return wait.get();
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "\n--- worker " + worker + ":\n" + tail(workers.output(worker))
          + "\n--- prometheus targets: " + prometheus.targets() + "\n--- prometheus:\n" + prometheus.log(), e);
    }
  }

  private static String tail(String text) {
    return text.length() > 6000 ? text.substring(text.length() - 6000) : text;
  }

  private io.temporal.client.WorkflowClient client() {
    return temporal.client();
  }

  private JsonNode firingRenewalAlerts() {
    try {
      List<JsonNode> firing = new ArrayList<>();
      for (JsonNode alert : prometheus.alerts()) {
        if ("PhoenixCertificateRenewalFailing".equals(alert.path("labels").path("alertname").asText())
            && "firing".equals(alert.path("state").asText())) {
          firing.add(alert);
        }
      }
      return new com.fasterxml.jackson.databind.ObjectMapper().valueToTree(firing);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private JsonNode query(String promql) {
    try {
      return prometheus.query(promql);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** The value of the one series {@code promql} selects. */
  private double single(String promql) {
    JsonNode result = query(promql);
    assertEquals(1, result.size(), promql + ": " + result);
    return Double.parseDouble(result.get(0).path("value").get(1).asText());
  }

  private List<X509Certificate> chain(String name) {
    try {
      return Pem.certificates(Files.readString(dir.resolve(name + ".crt")));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
