package ai.thinkheads.phoenix.certs.worker.http;

import ai.thinkheads.phoenix.certs.workflows.guest.GuestOnboardingInput;
import ai.thinkheads.phoenix.certs.workflows.guest.GuestOnboardingStatus;
import ai.thinkheads.phoenix.certs.workflows.guest.GuestOnboardingWorkflow;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * TEST STAND-IN for GuestOnboardingWorkflowImpl, which is being written in parallel and is not on this branch
 * yet. It only records each run it starts (with its input) and completes after a short Workflow.sleep, so that
 * these tests can prove delivery (hookscript -> endpoint -> Temporal, USE_EXISTING, spool) without real guests.
 * When the real implementation is merged, production registers it (PhoenixWorker.WORKFLOW_TYPES) and these
 * tests keep registering this stand-in instead, since their guests are not real.
 */
public class RecordingGuestOnboarding implements GuestOnboardingWorkflow {

  /** How long a run stays open: long enough for a burst of events to join it. */
  static final Duration HOLD = Duration.ofSeconds(2);
  static final Map<String, List<GuestOnboardingInput>> RUNS = new ConcurrentHashMap<>();

  private GuestOnboardingStatus status;

  @Override
  public GuestOnboardingStatus onboard(GuestOnboardingInput input) {
    status = GuestOnboardingStatus.starting(input.target().guestId());
    if (!Workflow.isReplaying()) { // a replay is the same run again, not a new one
      RUNS.computeIfAbsent(input.target().guestId(), id -> new CopyOnWriteArrayList<>()).add(input);
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

  static int runs(String guestId) {
    return RUNS.getOrDefault(guestId, List.of()).size();
  }
}
