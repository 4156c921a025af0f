package ai.thinkheads.phoenix.certs.worker.engine;

import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionDescription;
import io.temporal.client.WorkflowNotFoundException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs under one of our workflow IDs whose type is not today's: those started before inputs carried names only
 * (types CertificateWorkflow, GuestOnboardingWorkflow, ReconcileWorkflow, whose histories carried the whole spec),
 * or started by hand under another type. No worker runs those types, so they would hang; they are terminated
 * with a reason and started afresh, which is safe: every run begins by reading its target.
 */
public final class LegacyRuns {

  private static final Logger log = LoggerFactory.getLogger(LegacyRuns.class);

  /** The running execution of a workflow ID: its type, and the memo value the caller asked for (or null). */
  public record Running(String type, String memo) {}

  private LegacyRuns() {}

  /** The running execution of {@code workflowId}, with its memo {@code memoKey}; null when none runs. */
  public static Running running(WorkflowClient client, String workflowId, String memoKey) {
    try {
      WorkflowExecutionDescription description = client.newUntypedWorkflowStub(workflowId).describe();
      if (description.getStatus() != WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING) {
        return null;
      }
      return new Running(description.getWorkflowType(),
          memoKey == null ? null : (String) description.getMemo(memoKey, String.class));
    } catch (WorkflowNotFoundException absent) {
      return null;
    }
  }

  public static void terminate(WorkflowClient client, String workflowId, String type) {
    try {
      client.newUntypedWorkflowStub(workflowId).terminate("replaced: type " + type
          + " is not run by this worker (runs before phoenix-certs took names only); starting afresh");
      log.warn("{}: terminated a run of type {}, which this worker does not run; starting it afresh", workflowId,
          type);
    } catch (WorkflowNotFoundException alreadyGone) {
      log.debug("{} ended on its own", workflowId);
    }
  }
}
