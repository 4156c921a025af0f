package ai.thinkheads.phoenix.certs.workflows.certificate;

import ai.thinkheads.phoenix.certs.workflows.coordination.CoordinatorActivities;
import ai.thinkheads.phoenix.certs.workflows.coordination.GuestPairsWorkflow;
import ai.thinkheads.phoenix.certs.workflows.coordination.LeaseRequest;
import ai.thinkheads.phoenix.certs.workflows.coordination.ReloadExpectation;
import ai.thinkheads.phoenix.certs.workflows.coordination.ReloadOutcome;
import ai.thinkheads.phoenix.certs.workflows.coordination.ReloadRequest;
import ai.thinkheads.phoenix.certs.workflows.failure.FailureType;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * A certificate workflow's side of its guest's coordinator ({@link GuestPairsWorkflow}): asks for the guest's
 * pairs around a swap or a read, and for a reload it shares with the certificates renewed together. Requests go
 * as signals; the grants and outcomes come back as signals, which the workflow hands here. Workflow code.
 */
final class GuestPairs {

  /** Far longer than any swap or read takes; a coordinator that has not answered by then is broken. */
  static final Duration ANSWER_WAIT = Duration.ofMinutes(15);

  private final String certificate;
  private final String coordinator;
  private final Set<String> granted = new HashSet<>();
  private final Map<String, ReloadOutcome> outcomes = new HashMap<>();

  GuestPairs(String certificate, String guestId) {
    this.certificate = certificate;
    this.coordinator = GuestPairsWorkflow.workflowIdFor(guestId);
  }

  void granted(String leaseId) {
    granted.add(leaseId);
  }

  void reloaded(ReloadOutcome outcome) {
    outcomes.put(outcome.id(), outcome);
  }

  /** {@code step} with the guest's pairs to itself: no other certificate of the guest reads or swaps meanwhile. */
  <T> T exclusively(Supplier<T> step) {
    return holding(true, step);
  }

  /** {@code step} while no pair of the guest is being swapped. */
  <T> T reading(Supplier<T> step) {
    return holding(false, step);
  }

  private <T> T holding(boolean exclusive, Supplier<T> step) {
    String id = nextId();
    send(() -> stub().acquire(new LeaseRequest(id, self(), exclusive)));
    if (!Workflow.await(ANSWER_WAIT, () -> granted.contains(id))) {
      send(() -> stub().release(id));
      throw new StepFailure(FailureType.COORDINATION_FAILED, coordinator + " did not grant the pairs of the guest "
          + "within " + ANSWER_WAIT.toMinutes() + " min");
    }
    try {
      return step.get();
    } finally {
      granted.remove(id);
      send(() -> stub().release(id));
    }
  }

  /** This certificate will ask for reload {@code key} (or, {@code expected} false, no longer will). */
  void expectReload(String key, boolean expected) {
    send(() -> stub().expectReload(new ReloadExpectation(key, certificate, expected)));
  }

  /** Asks for reload {@code key} and waits for it; throws its failure, if it failed. */
  void reload(String key, CertificateRef ref) {
    String id = nextId();
    send(() -> stub().requestReload(new ReloadRequest(id, self(), key, ref)));
    if (!Workflow.await(ANSWER_WAIT, () -> outcomes.containsKey(id))) {
      throw new StepFailure(FailureType.COORDINATION_FAILED, coordinator + " did not run the reload within "
          + ANSWER_WAIT.toMinutes() + " min");
    }
    ReloadOutcome outcome = outcomes.remove(id);
    if (!outcome.ok()) {
      throw new StepFailure(FailureType.of(outcome.failureType()).orElse(FailureType.UNEXPECTED), outcome.error());
    }
  }

  /** Sends {@code signal}; a coordinator that is not running (stopped by hand, say) is started, once, and asked again. */
  private void send(Runnable signal) {
    if (ExternalSignal.delivered(signal)) {
      return;
    }
    Workflow.getLogger(GuestPairs.class).warn("{}: {} is not running; starting it", certificate, coordinator);
    try {
      starter().ensureCoordinator(certificate);
    } catch (ActivityFailure failed) {
      throw new StepFailure(FailureType.COORDINATION_FAILED, coordinator + ", which coordinates the guest's pairs "
          + "and reloads, is not running and could not be started: " + failed.getMessage());
    }
    if (!ExternalSignal.delivered(signal)) {
      throw new StepFailure(FailureType.COORDINATION_FAILED, coordinator + ", which coordinates the guest's pairs "
          + "and reloads, is not running, even after it was started");
    }
  }

  private static CoordinatorActivities starter() {
    return Workflow.newActivityStub(CoordinatorActivities.class, ActivityOptions.newBuilder()
        .setStartToCloseTimeout(Duration.ofSeconds(30))
        .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(3).build())
        .build());
  }

  /** Unique across runs (a late answer to an earlier run's request is not this one's), and the same on replay. */
  private static String nextId() {
    return Workflow.randomUUID().toString();
  }

  private static String self() {
    return Workflow.getInfo().getWorkflowId();
  }

  private GuestPairsWorkflow stub() {
    return Workflow.newExternalWorkflowStub(GuestPairsWorkflow.class, coordinator);
  }
}
