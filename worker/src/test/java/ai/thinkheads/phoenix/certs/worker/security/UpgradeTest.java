package ai.thinkheads.phoenix.certs.worker.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.thinkheads.phoenix.certs.activities.plugin.PluginRegistry;
import ai.thinkheads.phoenix.certs.activities.testing.Polling;
import ai.thinkheads.phoenix.certs.worker.inventory.InventoryStore;
import ai.thinkheads.phoenix.certs.worker.testing.FreePort;
import ai.thinkheads.phoenix.certs.worker.engine.Engine;
import ai.thinkheads.phoenix.certs.worker.temporal.TemporalConnection;
import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateStatus.Outcome;
import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateWorkflow;
import ai.thinkheads.phoenix.certs.workflows.reconcile.ReconcileWorkflow;
import io.micronaut.context.ApplicationContext;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs written before inputs carried names only (workflow types CertificateWorkflow and ReconcileWorkflow, whose
 * inputs held the whole spec) are not replayed: a worker of today starts them over cleanly. It terminates each
 * with the reason and starts today's run under the same ID, which reads its target and goes on from there; the
 * old input's command never runs.
 */
class UpgradeTest {

  @TempDir
  Path dir;

  @Test
  void runsOfTheOldTypesAreTerminatedAndStartedAfreshFromTheInventory() throws Exception {
    Path marker = dir.resolve("marker");
    Path inventory = dir.resolve("inventory.yaml");
    Files.writeString(inventory, """
        ca: {type: local, dataDir: %1$s/ca}
        guests:
          - {name: here, kind: local}
        certificates:
          - name: web
            guest: here
            sans: [web.test]
            lifetime: 1h
            files: {cert: %1$s/web.crt, key: %1$s/web.key}
        """.formatted(dir));
    TemporalConnection temporal = TemporalConnection.embedded(FreePort.next());
    WorkflowClient client = temporal.client();
    // what the server holds from the worker of before: cert/web and the reconcile loop, of the old types
    String oldWeb = start(client, "CertificateWorkflow", "cert/web", OldInputs.certificate(
        Map.of("transport", "local", "guestId", "local/here", "options", Map.of()), dir.resolve("old"), marker));
    String oldReconcile = start(client, "ReconcileWorkflow", "reconcile", Map.of("interval", "PT1M",
        "managed", List.of("web")));

    try (ApplicationContext context = ApplicationContext.run();
        Engine engine = Engine.start(InventoryStore.open(inventory, context.getBean(PluginRegistry.class)),
            context.getBean(PluginRegistry.class), temporal, Duration.ofHours(1))) {
      Polling.await(client.newWorkflowStub(CertificateWorkflow.class, "cert/web")::status,
          s -> s != null && s.lastOutcome() == Outcome.ISSUED, Duration.ofSeconds(60), Duration.ofMillis(200));

      assertEquals(CertificateWorkflow.TYPE, client.newUntypedWorkflowStub("cert/web").describe().getWorkflowType());
      assertEquals(ReconcileWorkflow.TYPE, client.newUntypedWorkflowStub("reconcile").describe().getWorkflowType());
      for (String[] old : new String[][] {{"cert/web", oldWeb}, {"reconcile", oldReconcile}}) {
        WorkflowStub run = client.newUntypedWorkflowStub(old[0], Optional.of(old[1]), Optional.empty());
        assertEquals(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_TERMINATED, run.describe().getStatus(),
            old[0]);
        List<HistoryEvent> events = client.fetchHistory(old[0], old[1]).getEvents();
        HistoryEvent last = events.get(events.size() - 1);
        assertEquals(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_TERMINATED, last.getEventType());
        assertTrue(last.getWorkflowExecutionTerminatedEventAttributes().getReason().contains("starting afresh"),
            last.getWorkflowExecutionTerminatedEventAttributes().getReason());
      }
      assertTrue(Files.exists(dir.resolve("web.crt")), "today's run issued where the inventory says");
      assertFalse(Files.exists(marker), "the old input's command never ran");
      assertFalse(Files.exists(dir.resolve("old")), "nor did anything go where the old input said");
    }
  }

  private static String start(WorkflowClient client, String type, String id, Object input) {
    WorkflowStub stub = client.newUntypedWorkflowStub(type, WorkflowOptions.newBuilder().setWorkflowId(id)
        .setTaskQueue(CertificateWorkflow.TASK_QUEUE).build());
    return stub.start(input).getRunId();
  }
}
