package ai.thinkheads.phoenix.certs.worker.http;

import ai.thinkheads.phoenix.certs.workflows.guest.OnboardingRequest;
import ai.thinkheads.phoenix.certs.workflows.guest.GuestOnboardingStatus;
import ai.thinkheads.phoenix.certs.workflows.guest.GuestOnboardingWorkflow;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * TEST STAND-IN for GuestOnboardingWorkflowImpl: it only records each run it starts (by workflow ID, with its
 * request) and completes after a short Workflow.sleep, so that these tests can prove delivery (hookscript ->
 * endpoint -> Temporal, USE_EXISTING, spool) without real guests. The real onboarding is tested on sshd guests.
 */
public class RecordingGuestOnboarding implements GuestOnboardingWorkflow {

  /** How long a run stays open: long enough for a burst of events to join it. */
  static final Duration HOLD = Duration.ofSeconds(2);
  /** By workflow ID ("guest/101"). */
  static final Map<String, List<OnboardingRequest>> RUNS = new ConcurrentHashMap<>();

  private GuestOnboardingStatus status;

  @Override
  public GuestOnboardingStatus onboard(OnboardingRequest request) {
    String workflowId = Workflow.getInfo().getWorkflowId();
    status = GuestOnboardingStatus.starting(workflowId);
    if (!Workflow.isReplaying()) { // a replay is the same run again, not a new one
      RUNS.computeIfAbsent(workflowId, id -> new CopyOnWriteArrayList<>()).add(request);
    }
    Workflow.sleep(HOLD);
    status = new GuestOnboardingStatus(status.guestId(), "done", List.of(), List.of(), "stand-in", null);
    return status;
  }

  @Override
  public GuestOnboardingStatus status() {
    return status;
  }

  static int total() {
    return RUNS.values().stream().mapToInt(List::size).sum();
  }

  static int runs(String workflowId) {
    return RUNS.getOrDefault(workflowId, List.of()).size();
  }
}
