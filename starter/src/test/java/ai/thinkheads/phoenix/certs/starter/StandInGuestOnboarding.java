package ai.thinkheads.phoenix.certs.starter;

import ai.thinkheads.phoenix.certs.workflows.guest.GuestOnboardingInput;
import ai.thinkheads.phoenix.certs.workflows.guest.GuestOnboardingStatus;
import ai.thinkheads.phoenix.certs.workflows.guest.GuestOnboardingWorkflow;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.List;

/**
 * TEST STAND-IN for GuestOnboardingWorkflowImpl (not on this branch yet): reports a phase, waits a moment and
 * "installs" into every trust store named, so that {@code onboard --wait} has a run to follow.
 */
public class StandInGuestOnboarding implements GuestOnboardingWorkflow {

  private GuestOnboardingStatus status;

  @Override
  public GuestOnboardingStatus onboard(GuestOnboardingInput input) {
    String guest = input.target().guestId();
    status = new GuestOnboardingStatus(guest, "installing", List.of(), List.of(), null, null);
    Workflow.sleep(Duration.ofMillis(1500));
    status = new GuestOnboardingStatus(guest, "done", input.trust().stream().map(t -> t.describe()).toList(),
        List.of(), "TLS to the CA", null);
    return status;
  }

  @Override
  public GuestOnboardingStatus status() {
    return status;
  }
}
