package ai.thinkheads.phoenix.certs.worker.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.thinkheads.phoenix.certs.activities.estate.Authority;
import ai.thinkheads.phoenix.certs.activities.issuer.LocalCaIssuer;
import ai.thinkheads.phoenix.certs.activities.plugin.PluginRegistry;
import ai.thinkheads.phoenix.certs.activities.testing.Polling;
import ai.thinkheads.phoenix.certs.activities.testing.guest.SimulatedGuest;
import ai.thinkheads.phoenix.certs.activities.testing.guest.SimulatedGuests;
import ai.thinkheads.phoenix.certs.worker.inventory.InventoryStore;
import ai.thinkheads.phoenix.certs.worker.testing.FreePort;
import ai.thinkheads.phoenix.certs.worker.engine.Engine;
import ai.thinkheads.phoenix.certs.worker.temporal.TemporalConnection;
import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateStatus;
import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateStatus.Outcome;
import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateWorkflow;
import ai.thinkheads.phoenix.certs.workflows.audit.AuditReport;
import ai.thinkheads.phoenix.certs.workflows.audit.AuditRequest;
import ai.thinkheads.phoenix.certs.workflows.guest.GuestOnboardingStatus;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.micronaut.context.ApplicationContext;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Whoever reaches the Temporal frontend, with the public client only: forged starts of {@code cert/<x>} and
 * {@code guest/<vmid>} for listed and unlisted names, a twin of a listed certificate under another ID, inputs
 * written as the worker used to take them (a whole spec: target, files, a command), and forged signals. Against
 * a running worker with a local target and an sshd guest. The proof is on the machine: no marker file, nothing
 * written where the forged input said, no certificate signed by the CA (its issued.log), no ssh login, and
 * each refusal readable in the run's history and logged with the workflow that asked.
 */
class ForgedRequestsTest {

  @RegisterExtension
  static final SimulatedGuests GUESTS = SimulatedGuests.count(1);

  @TempDir
  Path dir;

  @Test
  void forgedStartsAndSignalsMakeTheWorkerDoNothingItsInventoryDoesNotSay() throws Exception {
    SimulatedGuest guest = GUESTS.guest(0);
    Path marker = dir.resolve("marker");
    Path evil = dir.resolve("evil");
    Path inventory = dir.resolve("inventory.yaml");
    Files.writeString(inventory, """
        ca: {type: local, dataDir: %1$s/ca}
        guests:
          - {name: here, kind: local}
          - {vmid: 2100, kind: lxc, transport: ssh, address: 127.0.0.1, port: %2$d, identityFile: %3$s,
             knownHosts: %4$s}
        certificates:
          - name: web
            guest: here
            sans: [web.test]
            lifetime: 1h
            files: {cert: %1$s/web.crt, key: %1$s/web.key}
            reload: {type: command, argv: [touch, %1$s/web-reloaded]}
          - name: box
            guest: 2100
            sans: [box.test]
            lifetime: 1h
            files: {cert: /etc/nginx/ssl/box.crt, key: /etc/nginx/ssl/box.key}
        """.formatted(dir, guest.port(), GUESTS.keys().ed25519(), guest.knownHosts()));
    ListAppender<ILoggingEvent> refusals = new ListAppender<>();
    refusals.start();
    ((Logger) LoggerFactory.getLogger(Authority.class)).addAppender(refusals);
    int port = FreePort.next();
    try (ApplicationContext context = ApplicationContext.run();
        Engine engine = Engine.start(InventoryStore.open(inventory, context.getBean(PluginRegistry.class)),
            context.getBean(PluginRegistry.class), TemporalConnection.embedded(port), Duration.ofHours(1))) {
      awaitIssued(engine.client(), "web");
      awaitIssued(engine.client(), "box");
      // the worker's own trust check at start onboards guest/2100 (it lacks the root): let it end first
      engine.client().newUntypedWorkflowStub(AuditRequest.TRUST_CHECK_ID)
          .getResult(60, java.util.concurrent.TimeUnit.SECONDS, AuditReport.class);
      engine.client().newUntypedWorkflowStub("guest/2100")
          .getResult(60, java.util.concurrent.TimeUnit.SECONDS, GuestOnboardingStatus.class);
      long signed = signed();
      long logins = guest.acceptedLogins();
      WorkflowServiceStubs stubs = WorkflowServiceStubs.newServiceStubs(WorkflowServiceStubsOptions.newBuilder()
          .setTarget("127.0.0.1:" + port).build());
      WorkflowClient attacker = WorkflowClient.newInstance(stubs);
      try {
        // an unlisted certificate, with the old input that named a local target, files and a command
        String refused = failure(start(attacker, CertificateWorkflow.TYPE, "cert/evil",
            OldInputs.certificate(localTarget(), evil, marker)));
        assertTrue(refused.contains("cert/evil is not in this worker's inventory (" + inventory + ")"), refused);
        // the same over ssh, to the real guest
        refused = failure(start(attacker, CertificateWorkflow.TYPE, "cert/evil-ssh",
            OldInputs.certificate(sshTarget(guest), Path.of("/etc/nginx/ssl/evil"), marker)));
        assertTrue(refused.contains("cert/evil-ssh is not in this worker's inventory"), refused);
        // a listed certificate's twin under another ID
        refused = failure(start(attacker, CertificateWorkflow.TYPE, "twin-of-web", Map.of("name", "web")));
        assertTrue(refused.contains("twin-of-web asked for certificate web, which this worker's inventory assigns "
            + "to cert/web only"), refused);
        // an unlisted guest, with a forged target and a trust store path of the attacker's choosing
        Map<String, Object> guestInput = new LinkedHashMap<>();
        guestInput.put("target", sshTarget(guest));
        guestInput.put("trust", List.of(Map.of("kind", "path", "path", evil.resolve("ca.pem").toString())));
        guestInput.put("reason", "forged");
        refused = failure(start(attacker, "GuestOnboarding", "guest/666", guestInput));
        assertTrue(refused.contains("guest 666 is not in this worker's inventory"), refused);
        // forged signals to a listed, running certificate: the old one that carried a spec, and today's intent
        WorkflowStub web = attacker.newUntypedWorkflowStub("cert/web");
        web.signal("updateSpec", OldInputs.certificate(localTarget(), evil, marker).get("spec"));
        web.signal("inventoryChanged", OldInputs.certificate(localTarget(), evil, marker).get("spec"));
        Thread.sleep(3000);
        // the old workflow type: no worker runs it, so it does nothing
        WorkflowStub legacy = start(attacker, "CertificateWorkflow", "cert/legacy",
            OldInputs.certificate(localTarget(), evil, marker));
        Thread.sleep(2000);
        legacy.terminate("test done");

        assertFalse(Files.exists(marker), "a command from an input ran");
        assertFalse(Files.exists(evil), "a file went where an input said");
        assertEquals(signed, signed(), "the CA signed for a forged request");
        assertEquals(logins, guest.acceptedLogins(), "an ssh login for a forged request");
        CertificateStatus webStatus = engine.client().newWorkflowStub(CertificateWorkflow.class, "cert/web").status();
        assertEquals(Outcome.ISSUED, webStatus.lastOutcome(), "cert/web goes on as its inventory says");
        assertTrue(failedEvent(engine.client(), "cert/evil").contains("cert/evil is not in this worker's inventory"),
            "the refusal is in the run's history");
        assertTrue(refusals.list.stream().anyMatch(e -> e.getLevel().toString().equals("WARN")
            && e.getFormattedMessage().contains("cert/evil") && e.getFormattedMessage().contains("refused")),
            "the worker logs the refusal with the workflow that asked");

        // a listed guest with a forged input: onboarded as the inventory says (system store), not as the input
        GuestOnboardingStatus onboarded = start(attacker, "GuestOnboarding", "guest/2100", guestInput)
            .getResult(60, java.util.concurrent.TimeUnit.SECONDS, GuestOnboardingStatus.class);
        // (the start's check installed the root already: this run finds it there)
        List<String> stores = new java.util.ArrayList<>(onboarded.installed());
        stores.addAll(onboarded.unchanged());
        assertEquals(List.of("system /usr/local/share/ca-certificates/phoenix_ca.crt"), stores);
        assertFalse(Files.exists(evil), "the forged trust store path stayed untouched");
      } finally {
        stubs.shutdownNow();
        ((Logger) LoggerFactory.getLogger(Authority.class)).detachAppender(refusals);
      }
    }
  }

  private long signed() throws Exception {
    Path log = dir.resolve("ca").resolve(LocalCaIssuer.ISSUED_LOG);
    return Files.exists(log) ? Files.readAllLines(log).size() : 0;
  }

  private static WorkflowStub start(WorkflowClient client, String type, String id, Object input) {
    WorkflowStub stub = client.newUntypedWorkflowStub(type, WorkflowOptions.newBuilder().setWorkflowId(id)
        .setTaskQueue(CertificateWorkflow.TASK_QUEUE).build());
    stub.start(input);
    return stub;
  }

  /** The run's failure, as the one who started it reads it. */
  private static String failure(WorkflowStub run) {
    WorkflowFailedException failed = assertThrows(WorkflowFailedException.class,
        () -> run.getResult(60, java.util.concurrent.TimeUnit.SECONDS, Object.class));
    StringBuilder messages = new StringBuilder();
    for (Throwable t = failed; t != null; t = t.getCause()) {
      messages.append(t.getMessage()).append(" | ");
    }
    return messages.toString();
  }

  private static String failedEvent(WorkflowClient client, String workflowId) {
    List<HistoryEvent> events = client.fetchHistory(workflowId).getEvents();
    HistoryEvent last = events.get(events.size() - 1);
    assertEquals(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_FAILED, last.getEventType());
    return last.getWorkflowExecutionFailedEventAttributes().getFailure().getMessage();
  }

  private static void awaitIssued(WorkflowClient client, String name) throws InterruptedException {
    Polling.await(client.newWorkflowStub(CertificateWorkflow.class, "cert/" + name)::status,
        s -> s.lastOutcome() == Outcome.ISSUED, Duration.ofSeconds(60), Duration.ofMillis(200));
  }

  private static Map<String, Object> localTarget() {
    return Map.of("transport", "local", "guestId", "local/evil", "options", Map.of());
  }

  private static Map<String, Object> sshTarget(SimulatedGuest guest) {
    return Map.of("transport", "ssh", "guestId", "lxc/666", "options",
        guest.sshOptions(GUESTS.keys().ed25519()));
  }
}
