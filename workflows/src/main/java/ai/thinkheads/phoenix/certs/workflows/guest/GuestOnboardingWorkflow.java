package ai.thinkheads.phoenix.certs.workflows.guest;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * Makes a guest trust the root CA: wait until it answers, install the pinned root into each trust store the
 * worker's inventory names for it, verify. Workflow ID {@code guest/<vmid>} (or {@code guest/<name>} for a guest
 * without a vmid), type {@code GuestOnboarding}, started with the USE_EXISTING conflict policy so that a burst of
 * start events joins the run in progress.
 */
@WorkflowInterface
public interface GuestOnboardingWorkflow {

  String TYPE = "GuestOnboarding";

  /** "lxc/101" and "101" give "guest/101"; "host/pve" and "pve" give "guest/pve". */
  static String workflowIdFor(String guest) {
    return "guest/" + guest.substring(guest.indexOf('/') + 1);
  }

  /** "guest/101" gives "101": the vmid or name the inventory lists the guest by. */
  static String guestRef(String workflowId) {
    return workflowId.startsWith("guest/") ? workflowId.substring("guest/".length()) : null;
  }

  @WorkflowMethod(name = TYPE)
  GuestOnboardingStatus onboard(OnboardingRequest request);

  @QueryMethod
  GuestOnboardingStatus status();
}
