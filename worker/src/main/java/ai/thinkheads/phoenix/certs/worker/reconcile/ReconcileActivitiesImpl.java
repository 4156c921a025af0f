package ai.thinkheads.phoenix.certs.worker.reconcile;

import ai.thinkheads.phoenix.certs.activities.Heartbeats;
import ai.thinkheads.phoenix.certs.activities.estate.Authority;
import ai.thinkheads.phoenix.certs.worker.engine.CertificateLauncher;
import ai.thinkheads.phoenix.certs.worker.engine.LegacyRuns;
import ai.thinkheads.phoenix.certs.worker.inventory.InventorySnapshot;
import ai.thinkheads.phoenix.certs.worker.inventory.InventoryStore;
import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateWorkflow;
import ai.thinkheads.phoenix.certs.workflows.model.CertificateSpec;
import ai.thinkheads.phoenix.certs.workflows.reconcile.NameList;
import ai.thinkheads.phoenix.certs.workflows.reconcile.ReconcileActivities;
import ai.thinkheads.phoenix.certs.workflows.reconcile.ReconcileReport;
import ai.thinkheads.phoenix.certs.workflows.reconcile.ReconcileRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.client.WorkflowClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A reconcile pass in one activity: re-read the inventory, then diff the snapshot this worker last applied with
 * the current one. An unchanged inventory costs one file read and nothing else; a changed one starts, tells or
 * stops only the certificates whose entries differ. A worker's first pass cannot know what changed while it was
 * away: it makes sure every certificate runs (of today's workflow type) and tells the running ones whose
 * recorded inventory digest differs.
 */
public final class ReconcileActivitiesImpl implements ReconcileActivities {

  static final String RUNNING = "WorkflowType IN ('" + CertificateWorkflow.TYPE
      + "', 'CertificateWorkflow') AND ExecutionStatus = 'Running'";

  private final InventoryStore store;
  private final WorkflowClient client;
  private final CertificateLauncher launcher;
  private final Duration loopInterval;
  private InventorySnapshot applied;

  /** @param loopInterval the time between passes when no Temporal Schedule starts them; null with a Schedule */
  public ReconcileActivitiesImpl(InventoryStore store, WorkflowClient client, CertificateLauncher launcher,
      Duration loopInterval) {
    this.store = store;
    this.client = client;
    this.launcher = launcher;
    this.loopInterval = loopInterval;
  }

  /**
   * Heartbeats while it runs: a worker's first pass over thousands of certificates takes longer than the
   * activity's 30 s heartbeat timeout, and would otherwise be timed out and run again.
   */
  @Override
  public synchronized ReconcileReport reconcile() {
    Authority.requireCaller(ReconcileRequest.WORKFLOW_ID, "a reconcile pass");
    return Heartbeats.during(this::pass);
  }

  private ReconcileReport pass() {
    store.reload();
    InventorySnapshot now = store.get();
    List<String> started = new ArrayList<>();
    List<String> changed = new ArrayList<>();
    List<String> stopped = new ArrayList<>();
    // coordinators first: a certificate needs its guest's from its first swap on
    if (applied == null || !applied.digest().equals(now.digest())) {
      now.certificates().stream().map(c -> c.target().guestId()).distinct().forEach(launcher::startCoordinator);
    }
    if (applied == null) {
      for (CertificateSpec spec : now.certificates()) {
        firstPass(now, spec, started, changed);
      }
    } else if (!applied.digest().equals(now.digest())) {
      for (CertificateSpec spec : now.certificates()) {
        String before = applied.digest(spec.name());
        if (before == null) {
          launcher.start(spec);
          started.add(spec.name());
        } else if (!before.equals(now.digest(spec.name()))) {
          launcher.tellChanged(spec.name());
          changed.add(spec.name());
        }
      }
      for (CertificateSpec gone : applied.certificates()) {
        if (now.certificate(gone.name()).isEmpty()) {
          launcher.retire(gone.name(), "removed from the inventory");
          stopped.add(gone.name());
        }
      }
    }
    List<String> strays = endStrays(now);
    applied = now;
    int unchanged = now.certificates().size() - started.size() - changed.size();
    return new ReconcileReport(now.source(), now.digest(), NameList.of(started), NameList.of(changed),
        NameList.of(stopped), NameList.of(strays), unchanged, store.problems(), loopInterval);
  }

  /** Started, replaced (a run of another type), told (its recorded digest differs), or left running. */
  private void firstPass(InventorySnapshot now, CertificateSpec spec, List<String> started, List<String> changed) {
    if (launcher.start(spec)) {
      started.add(spec.name());
      return;
    }
    LegacyRuns.Running run = launcher.running(spec.name());
    if (run == null) {
      launcher.start(spec); // it ended in between
      started.add(spec.name());
    } else if (!CertificateWorkflow.TYPE.equals(run.type())) {
      launcher.replace(spec, run.type());
      started.add(spec.name());
    } else if (!now.digest(spec.name()).equals(run.memo())) {
      launcher.tellChanged(spec.name());
      changed.add(spec.name());
    }
  }

  /**
   * Ends certificate workflows running under names this inventory does not hold (forged, or left from an older
   * inventory), where Temporal can list them; elsewhere they end themselves at their first step, refused.
   */
  private List<String> endStrays(InventorySnapshot now) {
    Map<String, String> running = running();
    List<String> ended = new ArrayList<>();
    running.forEach((workflowId, type) -> {
      String name = workflowId.startsWith("cert/") ? workflowId.substring("cert/".length()) : null;
      if (name == null || now.certificate(name).isEmpty()) {
        client.newUntypedWorkflowStub(workflowId).terminate(workflowId + " is not in this worker's inventory ("
            + now.source() + ")");
        ended.add(workflowId);
      }
    });
    return ended;
  }

  /** Workflow id to type of the running certificate workflows; empty when the server cannot list them. */
  private Map<String, String> running() {
    Map<String, String> out = new TreeMap<>();
    try {
      client.listExecutions(RUNNING).forEach(execution -> out.put(execution.getExecution().getWorkflowId(),
          execution.getWorkflowType()));
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() != Status.Code.UNIMPLEMENTED) {
        throw e;
      }
      // the Java test server has no visibility: strays end at their first step instead
    }
    return out;
  }
}
