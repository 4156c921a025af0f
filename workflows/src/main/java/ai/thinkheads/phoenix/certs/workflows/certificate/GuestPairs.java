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
import io.temporal.workflow.Async;
import io.temporal.workflow.Functions;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;

/**
 * A certificate workflow's side of its guest's coordinator ({@link GuestPairsWorkflow}): holds the guest's pairs
 * around a swap, and asks for the reload it shares with the certificates renewed together. Requests go as
 * signals, sent from their own workflow thread so the run never waits for the send itself; grants and outcomes
 * come back as signals, which the workflow hands here. Workflow code.
 */
final class GuestPairs {

  /** Far longer than any swap or reload takes; a coordinator that has not answered by then is broken. */
  static final Duration ANSWER_WAIT = Duration.ofMinutes(15);

  private static final Logger log = Workflow.getLogger(GuestPairs.class);

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

  /**
   * Waits until the guest's pairs are this certificate's alone (no other swap, no reload reading them) and
   * returns the lease, which {@link #release} or {@link #releaseAndReload} gives back.
   */
  String holdExclusively() {
    String id = nextId();
    ask(() -> stub().acquire(new LeaseRequest(id, self(), true)), () -> granted.contains(id), "grant the pairs",
        () -> stub().release(id));
    return id;
  }

  /** Gives the pairs back. */
  void release(String leaseId) {
    granted.remove(leaseId);
    tell(() -> stub().release(leaseId));
  }

  /**
   * Gives the pairs back and asks, in the same signal, for reload {@code key}, which the coordinator runs once for
   * the certificates that ask together; waits for it and throws its failure, if it failed.
   */
  void releaseAndReload(String leaseId, String key, CertificateRef ref) {
    granted.remove(leaseId);
    String id = nextId();
    ask(() -> stub().requestReload(new ReloadRequest(id, self(), key, ref, leaseId)), () -> outcomes.containsKey(id),
        "run the reload", () -> {});
    ReloadOutcome outcome = outcomes.remove(id);
    if (!outcome.ok()) {
      throw new StepFailure(FailureType.of(outcome.failureType()).orElse(FailureType.UNEXPECTED), outcome.error());
    }
  }

  /** This certificate will ask for reload {@code key} (or, {@code expected} false, no longer will). */
  void expectReload(String key, boolean expected) {
    tell(() -> stub().expectReload(new ReloadExpectation(key, certificate, expected)));
  }

  /**
   * Sends {@code request} and waits for {@code answered}. A coordinator that is not running (stopped by hand, say)
   * is started, once, and asked again; one that does not answer in {@link #ANSWER_WAIT} fails the step, after
   * {@code withdraw}.
   */
  private void ask(Functions.Proc request, Supplier<Boolean> answered, String what, Functions.Proc withdraw) {
    Promise<Void> sent = sendAndAwait(request, answered);
    if (!answered.get() && failed(sent)) {
      if (!ExternalSignal.notRunning(sent.getFailure())) {
        throw new StepFailure(FailureType.COORDINATION_FAILED, "could not ask " + coordinator + " to " + what + ": "
            + sent.getFailure().getMessage());
      }
      restart();
      sent = sendAndAwait(request, answered);
    }
    if (!answered.get()) {
      tell(withdraw);
      throw new StepFailure(FailureType.COORDINATION_FAILED, coordinator + " did not " + what + " within "
          + ANSWER_WAIT.toMinutes() + " min" + (failed(sent) ? ": " + sent.getFailure().getMessage() : ""));
    }
  }

  /** Sends {@code request}; returns once it is answered, or its sending failed, or {@link #ANSWER_WAIT} passed. */
  private static Promise<Void> sendAndAwait(Functions.Proc request, Supplier<Boolean> answered) {
    Promise<Void> sent = Async.procedure(request);
    Workflow.await(ANSWER_WAIT, () -> answered.get() || failed(sent));
    return sent;
  }

  /** Sends {@code signal} without waiting for it; a coordinator that is gone has nothing to be told. */
  private void tell(Functions.Proc signal) {
    Async.procedure(signal).exceptionally(failure -> {
      log.info("{}: {} was not told: {}", certificate, coordinator, failure.getMessage());
      return null;
    });
  }

  private static boolean failed(Promise<Void> sent) {
    return sent.isCompleted() && sent.getFailure() != null;
  }

  private void restart() {
    log.warn("{}: {} is not running; starting it", certificate, coordinator);
    try {
      Workflow.newActivityStub(CoordinatorActivities.class, ActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofSeconds(30))
          .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(3).build())
          .build()).ensureCoordinator(certificate);
    } catch (ActivityFailure failed) {
      throw new StepFailure(FailureType.COORDINATION_FAILED, coordinator + ", which coordinates the guest's pairs "
          + "and reloads, is not running and could not be started: " + failed.getMessage());
    }
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
