package ai.thinkheads.phoenix.certs.worker.metrics;

import ai.thinkheads.phoenix.certs.activities.estate.Guest;
import ai.thinkheads.phoenix.certs.workflows.guest.GuestOnboardingStatus;
import ai.thinkheads.phoenix.certs.workflows.guest.GuestOnboardingWorkflow;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionDescription;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowStub;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.LinkedHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Per guest of the inventory, from its onboarding workflow ({@code guest/<ref>}, latest run):
 * {@code phoenix_guest_trusts_root{guest}} (1 when the last finished onboarding installed the root and proved it
 * with a TLS call to the CA), {@code phoenix_guest_onboarding_status{guest,outcome}} (succeeded, failed, running,
 * none: never onboarded) and {@code phoenix_guest_onboarding_timestamp_seconds{guest}} (when the last one ended).
 * Guests are few: one describe each per refresh, and a result read when the run has ended.
 */
final class GuestMetrics {

  static final List<String> OUTCOMES = List.of("succeeded", "failed", "running", "none");

  private final WorkflowClient client;
  private final Series trusts;
  private final Series outcome;
  private final Series ended;
  /** While an onboarding runs, a guest keeps what its last finished one proved (guests restart often). */
  private final Map<String, Boolean> lastProven = new ConcurrentHashMap<>();

  GuestMetrics(MeterRegistry registry, WorkflowClient client) {
    this.client = client;
    trusts = new Series(registry, "phoenix_guest_trusts_root",
        "1 when the guest's last finished onboarding installed the root CA and proved it with a TLS call",
        Series.Kind.GAUGE);
    outcome = new Series(registry, "phoenix_guest_onboarding_status",
        "The guest's latest onboarding: succeeded, failed, running, or none yet", Series.Kind.GAUGE);
    ended = new Series(registry, "phoenix_guest_onboarding_timestamp_seconds",
        "When the guest's latest onboarding ended, as a Unix timestamp", Series.Kind.GAUGE);
  }

  private record Seen(String outcome, Double endedAt, boolean trusts) {}

  void update(Collection<Guest> guests) {
    Map<Tags, Double> trust = new LinkedHashMap<>();
    Map<Tags, Double> outcomes = new LinkedHashMap<>();
    Map<Tags, Double> ends = new LinkedHashMap<>();
    for (Guest guest : guests) {
      Tags tags = Tags.of("guest", guest.id());
      Seen seen = look(guest);
      trust.put(tags, seen.trusts() ? 1.0 : 0.0);
      for (String o : OUTCOMES) {
        outcomes.put(tags.and("outcome", o), o.equals(seen.outcome()) ? 1.0 : 0.0);
      }
      if (seen.endedAt() != null) {
        ends.put(tags, seen.endedAt());
      }
    }
    trusts.set(trust);
    outcome.set(outcomes);
    ended.set(ends);
  }

  private Seen look(Guest guest) {
    String workflowId = GuestOnboardingWorkflow.workflowIdFor(guest.ref());
    WorkflowStub run = client.newUntypedWorkflowStub(workflowId);
    WorkflowExecutionDescription description;
    try {
      description = run.describe();
    } catch (WorkflowNotFoundException never) {
      return new Seen("none", null, false);
    }
    WorkflowExecutionStatus state = description.getStatus();
    if (state == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING) {
      return new Seen("running", null, lastProven.getOrDefault(guest.id(), false));
    }
    Double endedAt = description.getCloseTime() == null ? null : description.getCloseTime().toEpochMilli() / 1000.0;
    boolean proven = false;
    if (state == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED) {
      try {
        GuestOnboardingStatus result = run.getResult(2, TimeUnit.SECONDS, GuestOnboardingStatus.class);
        proven = result != null && result.verified() != null && result.error() == null;
      } catch (Exception unreadable) {
        proven = false;
      }
    }
    lastProven.put(guest.id(), proven);
    return new Seen(proven ? "succeeded" : "failed", endedAt, proven);
  }
}
