package ai.thinkheads.phoenix.certs.workflows.reconcile;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * Makes what runs match the worker's inventory: missing certificates started, changed ones told, removed ones
 * stopped. Workflow ID {@code reconcile}, type {@code Reconcile}.
 */
@WorkflowInterface
public interface ReconcileWorkflow {

  String TYPE = "Reconcile";

  @WorkflowMethod(name = TYPE)
  ReconcileReport run(ReconcileRequest request);

  @QueryMethod
  ReconcileReport lastReport();

  /** The inventory changed (or an operator asks): reconcile at once instead of at the next interval. */
  @SignalMethod
  void reconcileNow();
}
