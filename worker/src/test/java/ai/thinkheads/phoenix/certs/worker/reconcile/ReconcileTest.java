package ai.thinkheads.phoenix.certs.worker.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.thinkheads.phoenix.certs.activities.testing.Polling;
import ai.thinkheads.phoenix.certs.worker.engine.Engine;
import ai.thinkheads.phoenix.certs.worker.inventory.Inventory;
import ai.thinkheads.phoenix.certs.worker.plugins.Plugins;
import ai.thinkheads.phoenix.certs.worker.temporal.TemporalConnection;
import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateWorkflow;
import ai.thinkheads.phoenix.certs.workflows.reconcile.ReconcileInput;
import ai.thinkheads.phoenix.certs.workflows.reconcile.ReconcileReport;
import ai.thinkheads.phoenix.certs.workflows.reconcile.ReconcileWorkflow;
import io.micronaut.context.ApplicationContext;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowClient;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The reconcile loop on the embedded server: the inventory file changes, what runs follows it. */
class ReconcileTest {

  @TempDir
  Path dir;

  @Test
  void startsMissingUpdatesChangedAndStopsRemovedCertificates() throws Exception {
    Path file = dir.resolve("inventory.yaml");
    Files.writeString(file, inventory(List.of("alpha", "beta"), "beta.test"));
    try (ApplicationContext context = ApplicationContext.run()) {
      Plugins plugins = context.getBean(Plugins.class);
      Inventory inventory = plugins.inventoryLoader().load(file);
      try (Engine engine = Engine.start(inventory, plugins, TemporalConnection.embedded(freePort()),
          Duration.ofHours(1))) {
        WorkflowClient client = engine.client();
        ReconcileReport first = await(client, r -> r.started().size() == 2);
        assertEquals(List.of("alpha", "beta"), first.started());
        String capture = System.getProperty("phoenix.captureHistory");
        if (capture != null) {
          Files.writeString(Path.of(capture), client.fetchHistory(ReconcileInput.WORKFLOW_ID).toJson(true));
        }

        Files.writeString(file, inventory(List.of("beta", "gamma"), "beta-renamed.test"));
        client.newWorkflowStub(ReconcileWorkflow.class, ReconcileInput.WORKFLOW_ID).reconcileNow();
        ReconcileReport second = await(client, r -> r.started().contains("gamma"));
        assertEquals(List.of("beta"), second.updated());
        assertEquals(List.of("alpha"), second.stopped());
        assertEquals(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_TERMINATED, status(client, "cert/alpha"));
        assertEquals(List.of("beta-renamed.test"),
            client.newWorkflowStub(CertificateWorkflow.class, "cert/beta").spec().sans());

        Files.writeString(file, "certificates: [oops");
        client.newWorkflowStub(ReconcileWorkflow.class, ReconcileInput.WORKFLOW_ID).reconcileNow();
        ReconcileReport broken = await(client, r -> r.error() != null);
        assertTrue(broken.error().contains("not valid YAML"), broken.error());
        assertEquals(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING, status(client, "cert/gamma"),
            "an invalid inventory stops nothing");
      }
    }
  }

  private static WorkflowExecutionStatus status(WorkflowClient client, String id) {
    return client.newUntypedWorkflowStub(id).describe().getStatus();
  }

  private static ReconcileReport await(WorkflowClient client, Predicate<ReconcileReport> condition)
      throws InterruptedException {
    return Polling.await(client.newWorkflowStub(ReconcileWorkflow.class, ReconcileInput.WORKFLOW_ID)::lastReport,
        condition, Duration.ofSeconds(30), Duration.ofMillis(200));
  }

  private String inventory(List<String> names, String betaSan) {
    StringBuilder yaml = new StringBuilder("ca: {type: local, dataDir: " + dir + "/ca}\n"
        + "guests:\n  - {name: here, kind: local}\ncertificates:\n");
    for (String name : names) {
      yaml.append("  - name: ").append(name).append("\n    guest: here\n    sans: [")
          .append(name.equals("beta") ? betaSan : name + ".test").append("]\n    lifetime: 1h\n")
          .append("    files: {cert: ").append(dir).append('/').append(name).append(".crt, key: ").append(dir)
          .append('/').append(name).append(".key}\n");
    }
    return yaml.toString();
  }

  private static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
