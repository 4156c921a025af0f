package ai.thinkheads.phoenix.certs.worker.reconcile;

import ai.thinkheads.phoenix.certs.worker.engine.CertificateLauncher;
import ai.thinkheads.phoenix.certs.worker.inventory.InventoryException;
import ai.thinkheads.phoenix.certs.worker.inventory.InventoryLoader;
import ai.thinkheads.phoenix.certs.workflows.model.CertificateSpec;
import ai.thinkheads.phoenix.certs.workflows.reconcile.ReconcileActivities;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.client.WorkflowClient;
import io.temporal.failure.ApplicationFailure;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;

/** Reads the inventory file afresh on each pass and acts on Temporal through {@link CertificateLauncher}. */
public final class ReconcileActivitiesImpl implements ReconcileActivities {

  static final String RUNNING = "WorkflowType = 'CertificateWorkflow' AND ExecutionStatus = 'Running'";

  private final Path inventory;
  private final InventoryLoader loader;
  private final WorkflowClient client;
  private final CertificateLauncher launcher;

  public ReconcileActivitiesImpl(Path inventory, InventoryLoader loader, WorkflowClient client,
      boolean searchAttributes) {
    this.inventory = inventory;
    this.loader = loader;
    this.client = client;
    this.launcher = new CertificateLauncher(client, searchAttributes);
  }

  @Override
  public List<CertificateSpec> desired() {
    try {
      return loader.load(inventory).certificates();
    } catch (InventoryException e) {
      // Nothing runs on half an inventory: the pass stops, and what runs keeps running as it was.
      throw ApplicationFailure.newNonRetryableFailure(e.getMessage(), "InvalidInventory");
    }
  }

  @Override
  public List<String> running() {
    try {
      TreeSet<String> names = new TreeSet<>();
      client.listExecutions(RUNNING).forEach(execution -> {
        String id = execution.getExecution().getWorkflowId();
        if (id.startsWith("cert/")) {
          names.add(id.substring("cert/".length()));
        }
      });
      return List.copyOf(names);
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() == Status.Code.UNIMPLEMENTED) {
        return null; // the embedded dev server has no visibility: the workflow remembers what it manages
      }
      throw e;
    }
  }

  @Override
  public boolean ensureStarted(CertificateSpec spec) {
    return launcher.startIfMissing(spec);
  }

  @Override
  public boolean updateIfChanged(CertificateSpec spec) {
    return launcher.updateIfChanged(spec);
  }

  @Override
  public void retire(String name) {
    launcher.retire(name);
  }
}
