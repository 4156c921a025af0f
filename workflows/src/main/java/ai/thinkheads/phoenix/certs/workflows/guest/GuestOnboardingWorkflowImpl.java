package ai.thinkheads.phoenix.certs.workflows.guest;

import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Waits for the guest, fetches the pinned root, installs it into each trust store, verifies. */
public class GuestOnboardingWorkflowImpl implements GuestOnboardingWorkflow {

  private static final String[] NON_RETRYABLE = {
    "InvalidSpec", "UnknownStepType", "VerificationFailed", "TransportRefused", "CommandFailed"
  };

  private GuestOnboardingStatus status;

  @Override
  public GuestOnboardingStatus onboard(GuestOnboardingInput input) {
    String guest = input.target().guestId();
    status = GuestOnboardingStatus.starting(guest);
    List<String> installed = new ArrayList<>();
    List<String> unchanged = new ArrayList<>();
    try {
      phase("waiting for " + guest + " to answer");
      GuestFacts facts = steps(input, input.waitLimit(), "reach " + guest).probe(input.target());
      TrustActivities steps = steps(input, Duration.ofMinutes(10), "trust root CA on " + guest);
      phase("fetching the root");
      RootCertificate root = steps.fetchRoot();
      for (TrustTarget trust : input.trust()) {
        phase("installing the root into " + trust.describe());
        TrustChange change = steps.installRootCa(input.target(), trust, root, facts, input.caHealthUrl());
        (change.changed() ? installed : unchanged).add(change.target() + " " + change.path());
        status = new GuestOnboardingStatus(guest, status.phase(), List.copyOf(installed), List.copyOf(unchanged),
            null, null);
      }
      phase("verifying trust");
      String verified = steps.verifyTrust(input.target(), input.trust(), root, facts, input.caHealthUrl());
      status = new GuestOnboardingStatus(guest, "done", installed, unchanged, verified, null);
      return status;
    } catch (ActivityFailure failure) {
      String error = failure.getActivityType() + ": " + (failure.getCause() instanceof ApplicationFailure app
          ? app.getOriginalMessage() : failure.getCause().getMessage());
      status = new GuestOnboardingStatus(guest, "failed", installed, unchanged, null, error);
      throw ApplicationFailure.newNonRetryableFailure("onboarding " + guest + " failed: " + error,
          "OnboardingFailed");
    }
  }

  private void phase(String phase) {
    status = new GuestOnboardingStatus(status.guestId(), phase, status.installed(), status.unchanged(),
        status.verified(), status.error());
    Workflow.setCurrentDetails(status.guestId() + ": " + phase);
  }

  /** Retried with backoff within {@code budget}: a guest that has just booted may refuse connections a while. */
  private static TrustActivities steps(GuestOnboardingInput input, Duration budget, String summary) {
    return Workflow.newActivityStub(TrustActivities.class, ActivityOptions.newBuilder()
        .setStartToCloseTimeout(Duration.ofMinutes(2))
        .setHeartbeatTimeout(Duration.ofSeconds(10))
        .setScheduleToCloseTimeout(budget)
        .setRetryOptions(RetryOptions.newBuilder()
            .setInitialInterval(Duration.ofSeconds(1))
            .setBackoffCoefficient(2)
            .setMaximumInterval(Duration.ofSeconds(20))
            .setDoNotRetry(NON_RETRYABLE)
            .build())
        .setSummary(summary)
        .build());
  }

  @Override
  public GuestOnboardingStatus status() {
    return status;
  }
}
