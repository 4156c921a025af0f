package ai.thinkheads.phoenix.certs.workflows.reconcile;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/** Makes what runs match the inventory: missing certificates started, changed ones updated, removed ones stopped. */
@WorkflowInterface
public interface ReconcileWorkflow {

  @WorkflowMethod
  ReconcileReport run(ReconcileInput input);

  @QueryMethod
  ReconcileReport lastReport();

  /** Reconcile at once instead of at the next interval (loop mode). */
  @SignalMethod
  void reconcileNow();
}
