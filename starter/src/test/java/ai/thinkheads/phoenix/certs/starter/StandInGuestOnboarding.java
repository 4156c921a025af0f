package ai.thinkheads.phoenix.certs.starter;

import ai.thinkheads.phoenix.certs.workflows.guest.OnboardingRequest;
import ai.thinkheads.phoenix.certs.workflows.guest.GuestOnboardingStatus;
import ai.thinkheads.phoenix.certs.workflows.guest.GuestOnboardingWorkflow;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.List;

/**
 * TEST STAND-IN for GuestOnboardingWorkflowImpl: reports a phase, waits a moment and "installs" into the system
 * store, so that {@code onboard --wait} has a run to follow.
 */
public class StandInGuestOnboarding implements GuestOnboardingWorkflow {

  private GuestOnboardingStatus status;

  @Override
  public GuestOnboardingStatus onboard(OnboardingRequest request) {
    String guest = "lxc/" + GuestOnboardingWorkflow.guestRef(Workflow.getInfo().getWorkflowId());
    status = new GuestOnboardingStatus(guest, "installing", List.of(), List.of(), null, null);
    Workflow.sleep(Duration.ofMillis(1500));
    status = new GuestOnboardingStatus(guest, "done", List.of("system"), List.of(), "TLS to the CA", null);
    return status;
  }

  @Override
  public GuestOnboardingStatus status() {
    return status;
  }
}
