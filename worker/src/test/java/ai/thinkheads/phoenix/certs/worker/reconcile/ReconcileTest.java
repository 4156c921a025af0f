package ai.thinkheads.phoenix.certs.worker.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.thinkheads.phoenix.certs.activities.plugin.PluginRegistry;
import ai.thinkheads.phoenix.certs.activities.testing.Polling;
import ai.thinkheads.phoenix.certs.worker.engine.Engine;
import ai.thinkheads.phoenix.certs.worker.inventory.InventoryStore;
import ai.thinkheads.phoenix.certs.worker.temporal.TemporalConnection;
import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateWorkflow;
import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateStatus.Outcome;
import ai.thinkheads.phoenix.certs.workflows.reconcile.ReconcileRequest;
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
      PluginRegistry plugins = context.getBean(PluginRegistry.class);
      InventoryStore inventory = InventoryStore.open(file, plugins);
      try (Engine engine = Engine.start(inventory, plugins, TemporalConnection.embedded(freePort()),
          Duration.ofHours(1))) {
        WorkflowClient client = engine.client();
        ReconcileReport first = await(client, r -> r.started().total() == 2);
        assertEquals(List.of("alpha", "beta"), first.started().names());
        String capture = System.getProperty("phoenix.captureHistory");
        if (capture != null) {
          Files.writeString(Path.of(capture), client.fetchHistory(ReconcileRequest.WORKFLOW_ID).toJson(true));
        }
        await(client.newWorkflowStub(CertificateWorkflow.class, "cert/beta")::status,
            s -> s.lastOutcome() == Outcome.ISSUED);

        // the file watch notices the edit and asks for a pass: no signal from the test
        Files.writeString(file, inventory(List.of("beta", "gamma"), "beta-renamed.test"));
        ReconcileReport second = await(client, r -> r.started().contains("gamma"));
        assertEquals(List.of("beta"), second.changed().names());
        assertEquals(List.of("alpha"), second.stopped().names());
        assertEquals(0, second.unchanged(), "beta was told, gamma started: nothing left as it was");
        assertEquals(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_TERMINATED, status(client, "cert/alpha"));
        await(() -> sans(dir.resolve("beta.crt")), sans -> sans.equals(List.of("beta-renamed.test")));

        Files.writeString(file, "certificates: [oops");
        ReconcileReport broken = await(client, r -> !r.problems().isEmpty());
        assertTrue(broken.problems().get(0).contains("not valid YAML"), broken.problems().toString());
        assertEquals(List.of("beta", "gamma"),
            engine.snapshot().certificates().stream().map(c -> c.name()).toList(), "the last good inventory runs");
        assertEquals(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING, status(client, "cert/gamma"),
            "an invalid inventory stops nothing");

        Files.writeString(file, inventory(List.of("beta", "gamma"), "beta-renamed.test"));
        ReconcileReport mended = await(client, r -> r.problems().isEmpty());
        assertEquals(0, mended.started().total() + mended.changed().total() + mended.stopped().total(),
            "the mended file is the inventory that runs: nothing to do");
      }
    }
  }

  private static WorkflowExecutionStatus status(WorkflowClient client, String id) {
    return client.newUntypedWorkflowStub(id).describe().getStatus();
  }

  private static ReconcileReport await(WorkflowClient client, Predicate<ReconcileReport> condition)
      throws InterruptedException {
    return await(client.newWorkflowStub(ReconcileWorkflow.class, ReconcileRequest.WORKFLOW_ID)::lastReport,
        condition);
  }

  private static <T> T await(java.util.function.Supplier<T> value, Predicate<T> condition)
      throws InterruptedException {
    return Polling.await(value, condition, Duration.ofSeconds(30), Duration.ofMillis(200));
  }

  private static List<String> sans(Path pem) {
    try (var in = Files.newInputStream(pem)) {
      var cert = (java.security.cert.X509Certificate) java.security.cert.CertificateFactory.getInstance("X.509")
          .generateCertificate(in);
      return cert.getSubjectAlternativeNames().stream().map(n -> String.valueOf(n.get(1))).toList();
    } catch (Exception e) {
      return List.of();
    }
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
