package ai.thinkheads.phoenix.certs.workflows.guest;

import ai.thinkheads.phoenix.certs.workflows.failure.FailureType;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Reads the guest's plan from the inventory, waits for the guest, installs the root into each store, verifies. */
public class GuestOnboardingWorkflowImpl implements GuestOnboardingWorkflow {

  private GuestOnboardingStatus status;

  @Override
  public GuestOnboardingStatus onboard(OnboardingRequest request) {
    String guest = GuestOnboardingWorkflow.guestRef(Workflow.getInfo().getWorkflowId());
    status = GuestOnboardingStatus.starting(guest);
    List<String> installed = new ArrayList<>();
    List<String> unchanged = new ArrayList<>();
    try {
      TrustPlan plan = steps(Duration.ofMinutes(1), "plan trust for " + guest).plan(guest);
      status = GuestOnboardingStatus.starting(plan.guestId());
      phase("waiting for " + plan.guestId() + " to answer");
      steps(plan.waitLimit(), "reach " + plan.guestId()).probe(guest);
      TrustActivities steps = steps(Duration.ofMinutes(10), "trust root CA on " + plan.guestId());
      phase("fetching the root");
      steps.fetchRoot();
      for (TrustTarget store : plan.stores()) {
        phase("installing the root into " + store.describe());
        TrustChange change = steps.installRootCa(guest, store);
        (change.changed() ? installed : unchanged).add(change.target() + " " + change.path());
        status = new GuestOnboardingStatus(plan.guestId(), status.phase(), List.copyOf(installed),
            List.copyOf(unchanged), null, null);
      }
      phase("verifying trust");
      String verified = steps.verifyTrust(guest);
      status = new GuestOnboardingStatus(plan.guestId(), "done", installed, unchanged, verified, null);
      return status;
    } catch (ActivityFailure failure) {
      String error = failure.getActivityType() + ": " + (failure.getCause() instanceof ApplicationFailure app
          ? app.getOriginalMessage() : failure.getCause().getMessage());
      status = new GuestOnboardingStatus(status.guestId(), "failed", installed, unchanged, null, error);
      if (FailureType.NOT_IN_INVENTORY.is(failure.getCause())) {
        throw FailureType.NOT_IN_INVENTORY.failure(error);
      }
      throw FailureType.ONBOARDING_FAILED.failure("onboarding " + status.guestId() + " failed: " + error);
    }
  }

  private void phase(String phase) {
    status = new GuestOnboardingStatus(status.guestId(), phase, status.installed(), status.unchanged(),
        status.verified(), status.error());
    Workflow.setCurrentDetails(status.guestId() + ": " + phase);
  }

  /** Retried with backoff within {@code budget}: a guest that has just booted may refuse connections a while. */
  private static TrustActivities steps(Duration budget, String summary) {
    return Workflow.newActivityStub(TrustActivities.class, ActivityOptions.newBuilder()
        .setStartToCloseTimeout(Duration.ofMinutes(2))
        .setHeartbeatTimeout(Duration.ofSeconds(10))
        .setScheduleToCloseTimeout(budget)
        .setRetryOptions(RetryOptions.newBuilder()
            .setInitialInterval(Duration.ofSeconds(1))
            .setBackoffCoefficient(2)
            .setMaximumInterval(Duration.ofSeconds(20))
            .setDoNotRetry(FailureType.nonRetryable())
            .build())
        .setSummary(summary)
        .build());
  }

  @Override
  public GuestOnboardingStatus status() {
    return status;
  }
}
