package ai.thinkheads.phoenix.certs.worker.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.thinkheads.phoenix.certs.activities.plugin.PluginRegistry;
import ai.thinkheads.phoenix.certs.activities.testing.Polling;
import ai.thinkheads.phoenix.certs.worker.http.EventsServer;
import ai.thinkheads.phoenix.certs.worker.inventory.InventoryStore;
import ai.thinkheads.phoenix.certs.worker.temporal.TemporalConnection;
import ai.thinkheads.phoenix.certs.worker.testing.FreePort;
import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateStatus;
import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateStatus.Outcome;
import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateWorkflow;
import ai.thinkheads.phoenix.certs.workflows.guest.GuestOnboardingStatus;
import ai.thinkheads.phoenix.certs.workflows.guest.GuestOnboardingWorkflow;
import ai.thinkheads.phoenix.certs.workflows.reconcile.ReconcileReport;
import ai.thinkheads.phoenix.certs.workflows.reconcile.ReconcileRequest;
import ai.thinkheads.phoenix.certs.workflows.reconcile.ReconcileWorkflow;
import io.micronaut.context.ApplicationContext;
import io.temporal.client.WorkflowClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The inventory file edited while the worker runs, with no restart and no signal from the test: a new guest is
 * accepted by the events endpoint and onboarded, a new certificate is issued, a changed step is the one the next
 * cycle runs; an invalid edit stops nothing, is shown in reconcile's report, and the last good inventory runs on.
 */
class LiveInventoryTest {

  static final Duration PATIENCE = Duration.ofSeconds(60);
  static final String TOKEN = "live-inventory-token-0123456789";

  @TempDir
  Path dir;

  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void editsToTheFileTakeEffectWhileTheWorkerRuns() throws Exception {
    Path file = dir.resolve("inventory.yaml");
    Files.writeString(file, inventory(false, "first-step"));
    Path token = dir.resolve("events.token");
    Files.writeString(token, TOKEN + "\n");
    int eventsPort = FreePort.next();
    try (ApplicationContext base = ApplicationContext.run();
        Engine engine = Engine.start(InventoryStore.open(file, base.getBean(PluginRegistry.class)),
            base.getBean(PluginRegistry.class), TemporalConnection.embedded(FreePort.next()), Duration.ofHours(1));
        ApplicationContext events = ApplicationContext.run(Map.of("micronaut.server.port", eventsPort,
            "phoenix.events.token-file", token.toString()));
        EventsServer server = EventsServer.start(events, engine, false).orElseThrow()) {
      WorkflowClient client = engine.client();
      CertificateWorkflow web = client.newWorkflowStub(CertificateWorkflow.class, "cert/web");
      await(web::status, s -> s.lastOutcome() == Outcome.ISSUED);
      assertEquals(422, event(eventsPort, 102), "guest 102 is not listed yet");

      // a guest, a certificate and a changed step, in one edit
      Files.writeString(file, inventory(true, "second-step"));
      await(() -> event(eventsPort, 102), status -> status == 202);
      GuestOnboardingStatus onboarded = await(() -> client.newWorkflowStub(GuestOnboardingWorkflow.class,
          GuestOnboardingWorkflow.workflowIdFor("102")).status(), s -> s != null && "done".equals(s.phase()));
      assertTrue(Files.exists(dir.resolve("guest-102-ca.pem")), "the new guest's listed store holds the root: "
          + onboarded);
      CertificateWorkflow api = client.newWorkflowStub(CertificateWorkflow.class, "cert/api");
      await(() -> statusOrNull(api), s -> s != null && s.lastOutcome() == Outcome.ISSUED);
      web.renewNow();
      await(web::status, s -> s.lastOutcome() == Outcome.RENEWED);
      assertTrue(Files.exists(dir.resolve("second-step")), "the next cycle ran the changed step");
      assertEquals(1, Files.readAllLines(dir.resolve("first-step")).size(), "the old step ran for the first issue only");

      // an invalid edit: shown, and nothing stops
      Files.writeString(file, inventory(true, "third-step").replace("lifetime: 1h", "lifetime: soon"));
      ReconcileReport report = await(client.newWorkflowStub(ReconcileWorkflow.class,
          ReconcileRequest.WORKFLOW_ID)::lastReport, r -> !r.problems().isEmpty());
      assertTrue(report.problems().stream().anyMatch(p -> p.contains("inventory.yaml:") && p.contains("lifetime")
          && p.contains("'soon' is not a duration")), report.problems().toString());
      assertEquals(report.problems(), engine.inventory().problems());
      web.renewNow();
      CertificateStatus again = await(web::status, s -> s.renewals() == 3);
      assertEquals(Outcome.RENEWED, again.lastOutcome(), "the last good inventory keeps running");
      assertFalse(Files.exists(dir.resolve("third-step")), "nothing of the invalid edit is used");
      assertEquals(202, event(eventsPort, 102), "the guest added by the last good edit is still accepted");
    }
  }

  private String inventory(boolean edited, String reloadMarker) {
    String yaml = """
        ca: {type: local, dataDir: DIR/ca}
        guests:
          - {name: here, kind: local}
          - {vmid: 101, kind: lxc, transport: local, trust: [DIR/guest-101-ca.pem]}
        """;
    if (edited) {
      yaml += "  - {vmid: 102, kind: lxc, transport: local, trust: [DIR/guest-102-ca.pem]}\n";
    }
    yaml += """
        certificates:
          - name: web
            guest: here
            sans: [web.test]
            lifetime: 1h
            files: {cert: DIR/web.crt, key: DIR/web.key}
            reload: {type: command, argv: [sh, -c, 'echo x >> "$1"', reload, DIR/MARKER]}
        """.replace("MARKER", reloadMarker);
    if (edited) {
      yaml += """
            - name: api
              guest: 102
              sans: [api.test]
              lifetime: 1h
              files: {cert: DIR/api.crt, key: DIR/api.key}
          """;
    }
    return yaml.replace("DIR", dir.toString());
  }

  /** The hookscript's call, as it makes it: a post-start for {@code vmid}; returns the HTTP status. */
  private int event(int port, int vmid) {
    try {
      return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/events/guest"))
          .header("Authorization", "Bearer " + TOKEN).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString("{\"vmid\":" + vmid + ",\"phase\":\"post-start\",\"node\":\"pve\"}"))
          .build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static CertificateStatus statusOrNull(CertificateWorkflow workflow) {
    try {
      return workflow.status();
    } catch (RuntimeException notStarted) {
      return null;
    }
  }

  private static <T> T await(Supplier<T> value, Predicate<T> done) throws InterruptedException {
    return Polling.await(value, done, PATIENCE, Duration.ofMillis(250));
  }
}
