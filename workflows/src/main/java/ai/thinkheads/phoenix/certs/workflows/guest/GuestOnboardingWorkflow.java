package ai.thinkheads.phoenix.certs.workflows.guest;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * Makes a guest trust the root CA: wait until it answers, fetch the pinned root, install it into each trust store
 * the inventory names, verify. Workflow ID {@code guest/<vmid>}, started with the USE_EXISTING conflict policy so
 * that a burst of start events joins the run in progress.
 */
@WorkflowInterface
public interface GuestOnboardingWorkflow {

  @WorkflowMethod
  GuestOnboardingStatus onboard(GuestOnboardingInput input);

  @QueryMethod
  GuestOnboardingStatus status();
}
