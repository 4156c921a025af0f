package ai.thinkheads.phoenix.certs.activities.audit;

import ai.thinkheads.phoenix.certs.activities.estate.Guest;
import ai.thinkheads.phoenix.certs.workflows.guest.GuestOnboardingWorkflow;
import ai.thinkheads.phoenix.certs.workflows.guest.OnboardingRequest;
import ai.thinkheads.phoenix.certs.workflows.guest.TrustPlan;
import io.temporal.api.enums.v1.WorkflowIdConflictPolicy;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;

/** Starts (or joins) a listed guest's onboarding, {@code guest/<vmid or name>}, as a hookscript event would. */
public interface GuestOnboarding {

  /** The workflow id started or joined. */
  String start(Guest guest, String reason);

  static GuestOnboarding of(WorkflowClient client, String taskQueue) {
    return (guest, reason) -> {
      String workflowId = GuestOnboardingWorkflow.workflowIdFor(guest.id());
      GuestOnboardingWorkflow workflow = client.newWorkflowStub(GuestOnboardingWorkflow.class,
          WorkflowOptions.newBuilder()
              .setWorkflowId(workflowId)
              .setTaskQueue(taskQueue)
              .setWorkflowIdConflictPolicy(WorkflowIdConflictPolicy.WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING)
              .setStaticSummary(new TrustPlan(guest.id(), guest.stores(), null).summary())
              .setStaticDetails("Started by: " + reason)
              .build());
      WorkflowClient.start(workflow::onboard, new OnboardingRequest(reason));
      return workflowId;
    };
  }
}
