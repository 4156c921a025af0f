package ai.thinkheads.phoenix.certs.activities.coordination;

import ai.thinkheads.phoenix.certs.workflows.coordination.GuestPairsRun;
import ai.thinkheads.phoenix.certs.workflows.coordination.GuestPairsWorkflow;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Starts guest coordinators ({@code pairs/<guest>}): the reconcile pass for every guest, a certificate for its own. */
public final class Coordinators {

  private static final Logger log = LoggerFactory.getLogger(Coordinators.class);

  private Coordinators() {}

  /** Starts the coordinator of {@code guestId} unless it runs; true when it was started. */
  public static boolean start(WorkflowClient client, String taskQueue, String guestId) {
    GuestPairsWorkflow coordinator = client.newWorkflowStub(GuestPairsWorkflow.class, WorkflowOptions.newBuilder()
        .setWorkflowId(GuestPairsWorkflow.workflowIdFor(guestId))
        .setTaskQueue(taskQueue)
        .setStaticSummary("Coordinate the pairs and reloads of " + guestId)
        .build());
    try {
      WorkflowClient.start(coordinator::run, new GuestPairsRun(guestId, 0));
      log.info("started {} for {}", GuestPairsWorkflow.workflowIdFor(guestId), guestId);
      return true;
    } catch (WorkflowExecutionAlreadyStarted running) {
      return false;
    }
  }
}
