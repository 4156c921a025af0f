package ai.thinkheads.phoenix.certs.starter;

import ai.thinkheads.phoenix.certs.workflows.coordination.CoordinatorActivities;
import ai.thinkheads.phoenix.certs.workflows.coordination.GuestPairsRun;
import ai.thinkheads.phoenix.certs.workflows.coordination.GuestPairsWorkflow;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowOptions;

/** Starts the (real) guest coordinator of the CLI tests' certificates, which all live on {@link CertificateStack}'s guest. */
final class StandInCoordinators implements CoordinatorActivities {

  private final WorkflowClient client;
  private final String taskQueue;

  StandInCoordinators(WorkflowClient client, String taskQueue) {
    this.client = client;
    this.taskQueue = taskQueue;
  }

  @Override
  public void ensureCoordinator(String name) {
    String guest = CertificateStack.spec(name).target().guestId();
    GuestPairsWorkflow coordinator = client.newWorkflowStub(GuestPairsWorkflow.class, WorkflowOptions.newBuilder()
        .setWorkflowId(GuestPairsWorkflow.workflowIdFor(guest)).setTaskQueue(taskQueue).build());
    try {
      WorkflowClient.start(coordinator::run, new GuestPairsRun(guest, 0));
    } catch (WorkflowExecutionAlreadyStarted running) {
      // started by another certificate
    }
  }
}
