package ai.thinkheads.phoenix.certs.workflows.rotation;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * Moves the whole estate from one CA to the next without an outage: overlap (every guest trusts both roots),
 * re-issue (every certificate renewed from the new CA through its own workflow, verified on the new chain),
 * retire (after a grace period the old root leaves every trust store, and nothing served chains to it). Workflow
 * ID {@value #WORKFLOW_ID}, type {@value #TYPE}. Its input and signals carry names and intents only.
 */
@WorkflowInterface
public interface RotationWorkflow {

  String WORKFLOW_ID = "ca/rotation";
  String TYPE = "CaRotation";

  @WorkflowMethod(name = TYPE)
  RotationProgress rotate(RotationRequest request);

  @QueryMethod
  RotationProgress progress();

  /** Finish the current step, then wait (nothing new starts) until {@link #resume}. */
  @SignalMethod
  void pause();

  @SignalMethod
  void resume();

  /**
   * Stop before retiring: the old CA issues again and both roots stay trusted. Ignored once retiring began (the
   * old root is being removed; going back would need another rotation).
   */
  @SignalMethod
  void abort();

  /** End the grace period now (or skip it when it has not begun). */
  @SignalMethod
  void retireNow();
}
