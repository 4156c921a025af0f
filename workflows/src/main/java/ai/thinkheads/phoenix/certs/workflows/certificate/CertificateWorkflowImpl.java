package ai.thinkheads.phoenix.certs.workflows.certificate;

import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateStatus.Outcome;
import ai.thinkheads.phoenix.certs.workflows.failure.FailureType;
import ai.thinkheads.phoenix.certs.workflows.model.SearchAttributes;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.TemporalFailure;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import org.slf4j.Logger;

/**
 * One renewal cycle per run: inspect the target (and read the inventory's policy), renew when needed (issue,
 * activate, validate, reload, verify, rolling back on any failure after activation), then wait for the renewal
 * point, a renewNow signal or an inventory change, and continue as new so that history stays small.
 */
public class CertificateWorkflowImpl implements CertificateWorkflow {

  /** Failure types that retrying the same call cannot fix. */
  public static final String[] NON_RETRYABLE = {
    "InvalidSpec", "UnknownStepType", "ValidationFailed", "VerificationFailed", "IssuerRejected", "HostKeyRejected",
    "AuthenticationFailed", FailureType.NOT_IN_INVENTORY.type(), FailureType.INVENTORY_CHANGED.type()
  };

  private static final Logger log = Workflow.getLogger(CertificateWorkflowImpl.class);

  private String name;
  private CertificatePolicy policy;
  private CertificateStatus status;
  private boolean renewRequested;
  private boolean inventoryChanged;
  /** True while the run waits for its next renewal point: no step of a renewal is under way. */
  private boolean idle;
  /** This cycle's new pair has been put in place (the cycle may still validate, reload, verify or roll back). */
  private boolean swapped;

  @Override
  public void run(CertificateRun input) {
    // the workflow ID is the name (cert/<name>); an input that names none (old-style, forged) gets the ID's
    name = input.name() != null ? input.name() : Workflow.getInfo().getWorkflowId().replaceFirst("^cert/", "");
    status = input.status() != null ? input.status() : CertificateStatus.initial(name, null);
    renewRequested = input.renewRequested();

    phase("inspecting target");
    Inspection inspection = inspect();
    policy = inspection.policy();
    status = status.withGuest(policy.guestId());
    recordDigest();
    CertificateActivities steps = activities(policy.name() + " on " + policy.guestId());
    TargetState state = inspection.target();
    Instant now = now();
    Optional<String> reason = RenewalPolicy.reasonToIssue(policy, state, now, renewRequested);
    boolean requested = renewRequested;
    renewRequested = false;
    if (reason.isPresent()) {
      log.info("{}: renewing: {}", name, reason.get());
      // A requested renewal that fails stays requested: the retry after the backoff renews, not just inspects.
      renewRequested = !renew(steps, inspection.ref(), state, reason.get()) && requested;
    } else {
      status = status.withLive(state.serial(), state.notAfter())
          .withNextRenewal(RenewalPolicy.renewalPoint(policy, state.notBefore(), state.notAfter()));
      if (status.lastOutcome() == Outcome.NONE) {
        status = status.succeeded(Outcome.UNCHANGED, now);
      }
    }

    publishNotAfter();
    Duration wait = Duration.between(now(), status.nextRenewal());
    phase("waiting until " + status.nextRenewal());
    idle = true;
    Workflow.await(wait.isNegative() ? Duration.ZERO : wait, () -> renewRequested || inventoryChanged);
    Workflow.continueAsNew(new CertificateRun(name, status.withPhase("continuing"), renewRequested));
  }

  /**
   * The target and the inventory's policy. A name the worker's inventory does not hold (a forged or stale
   * workflow) ends the run, failed, with the worker's reason: nothing else is tried.
   */
  private Inspection inspect() {
    try {
      return activities(name).inspect(name);
    } catch (ActivityFailure e) {
      String error = describe(e);
      status = status.failed(Outcome.FAILED, error, now()).withPhase("refused");
      if (FailureType.NOT_IN_INVENTORY.is(e.getCause())) {
        throw FailureType.NOT_IN_INVENTORY.failure(error);
      }
      throw e;
    }
  }

  /** True when the new certificate is in place and verified. */
  private boolean renew(CertificateActivities steps, CertificateRef ref, TargetState before, String reason) {
    Instant started = now();
    boolean activated = false;
    status = status.withNote(null);
    try {
      phase("issuing (" + reason + ")");
      StagedCertificate staged = steps.issueAndStage(ref);
      awaitPredecessors();
      phase("activating " + staged.serial());
      ActivationResult activation = steps.activate(ref, staged.serial());
      activated = true;
      swapped = true;
      if (policy.validates()) {
        phase("validating");
        steps.validate(ref);
      }
      if (policy.reloads()) {
        phase("reloading");
        steps.reload(ref);
      }
      if (policy.verifies()) {
        phase("verifying " + staged.serial());
        steps.verify(ref, staged.serial());
      }
      status = status.withLive(staged.serial(), staged.notAfter())
          .withNextRenewal(RenewalPolicy.nextAfterIssue(policy, staged.notBefore(), staged.notAfter(), now()))
          .succeeded(activation.hadPrevious() || before.present() ? Outcome.RENEWED : Outcome.ISSUED, started);
      return true;
    } catch (ActivityFailure e) {
      String error = describe(e);
      Outcome outcome = Outcome.FAILED;
      if (activated) {
        RollbackReport report = rollBack(steps, ref, error);
        outcome = report.outcome();
        error = report.error();
      }
      log.warn("{}: renewal failed: {}", name, error);
      status = status.withLive(before.usable() ? before.serial() : null, before.usable() ? before.notAfter() : null)
          .failed(outcome, error, started);
      status = status.withNextRenewal(
          now().plus(RenewalPolicy.retryDelay(now(), status.notAfter(), status.consecutiveFailures())));
      return false;
    }
  }

  /**
   * A certificate that comes {@code after} others activates its new pair only once none of them is renewing or
   * about to. Absent predecessors and a bounded wait never stop the renewal: the status's note says when it went
   * ahead regardless.
   */
  private void awaitPredecessors() {
    if (policy.after().isEmpty()) {
      return;
    }
    phase("waiting for " + String.join(", ", policy.after()));
    OrderingResult result = ordering().awaitPredecessors(name);
    if (result.note() != null) {
      log.warn("{}: {}", name, result.note());
      status = status.withNote(result.note());
    }
  }

  /**
   * Puts the previous pair back and makes the service serve it again. The outcome is ROLLED_BACK once the
   * files are restored, even if the service then refuses to reload: the error says so.
   */
  private RollbackReport rollBack(CertificateActivities steps, CertificateRef ref, String error) {
    String restored;
    try {
      phase("rolling back: " + error);
      restored = steps.rollback(ref);
    } catch (ActivityFailure rollbackFailure) {
      return new RollbackReport(Outcome.FAILED, error + "; rollback failed too: " + describe(rollbackFailure));
    }
    if (restored == null) {
      return new RollbackReport(Outcome.FAILED, error + "; no previous certificate to roll back to");
    }
    try {
      if (policy.reloads()) {
        steps.reload(ref);
      }
      if (policy.verifies()) {
        steps.verify(ref, restored);
      }
      return new RollbackReport(Outcome.ROLLED_BACK, error + "; rolled back to " + restored);
    } catch (ActivityFailure afterRollback) {
      return new RollbackReport(Outcome.ROLLED_BACK, error + "; rolled back to " + restored
          + ", but then: " + describe(afterRollback));
    }
  }

  private record RollbackReport(Outcome outcome, String error) {}

  private static String describe(ActivityFailure failure) {
    Throwable cause = failure.getCause();
    String step = failure.getActivityType();
    if (cause instanceof ApplicationFailure app) {
      return step + ": " + app.getOriginalMessage();
    }
    if (cause instanceof TemporalFailure temporal) {
      return step + ": " + temporal.getOriginalMessage();
    }
    return step + ": " + failure.getMessage();
  }

  /** The inventory digest this run works to, in the memo: a restarted worker's reconcile compares it. */
  private void recordDigest() {
    if (!policy.digest().equals(Workflow.getMemo(DIGEST_MEMO, String.class))) {
      Workflow.upsertMemo(java.util.Map.of(DIGEST_MEMO, policy.digest()));
    }
  }

  /** NotAfter as a search attribute, when the run was started with ours (the server has them registered). */
  private void publishNotAfter() {
    if (status.notAfter() != null
        && Workflow.getTypedSearchAttributes().containsKey(SearchAttributes.CERT_NAME)) {
      Workflow.upsertTypedSearchAttributes(SearchAttributes.NOT_AFTER.valueSet(
          OffsetDateTime.ofInstant(status.notAfter(), ZoneOffset.UTC)));
    }
  }

  private void phase(String phase) {
    status = status.withPhase(phase);
    Workflow.setCurrentDetails(name + ": " + phase);
  }

  private static Instant now() {
    return Instant.ofEpochMilli(Workflow.currentTimeMillis());
  }

  private static CertificateActivities activities(String summary) {
    ActivityOptions options = ActivityOptions.newBuilder()
        .setStartToCloseTimeout(Duration.ofMinutes(2))
        // steps heartbeat every 2 s: a worker that died is noticed in 10 s, not 2 min
        .setHeartbeatTimeout(Duration.ofSeconds(10))
        .setRetryOptions(RetryOptions.newBuilder()
            .setInitialInterval(Duration.ofSeconds(1))
            .setBackoffCoefficient(2)
            .setMaximumInterval(Duration.ofSeconds(30))
            .setMaximumAttempts(5)
            .setDoNotRetry(NON_RETRYABLE)
            .build())
        .setSummary(summary)
        .build();
    return Workflow.newActivityStub(CertificateActivities.class, options);
  }

  /** The wait is bounded inside the activity ({@link OrderingActivities#MAX_WAIT}); this only has to outlast it. */
  private OrderingActivities ordering() {
    return Workflow.newActivityStub(OrderingActivities.class, ActivityOptions.newBuilder()
        .setStartToCloseTimeout(OrderingActivities.MAX_WAIT.plusMinutes(5))
        .setHeartbeatTimeout(Duration.ofSeconds(10))
        .setRetryOptions(RetryOptions.newBuilder()
            .setInitialInterval(Duration.ofSeconds(1))
            .setMaximumAttempts(3)
            .setDoNotRetry(FailureType.NOT_IN_INVENTORY.type())
            .build())
        .setSummary(name + " after " + String.join(", ", policy.after()))
        .build());
  }

  @Override
  public CertificateStatus status() {
    return status;
  }

  @Override
  public CycleState cycle() {
    return new CycleState(idle, renewRequested || inventoryChanged, status.nextRenewal(), status.phase(), swapped);
  }

  @Override
  public void renewNow() {
    renewRequested = true;
  }

  @Override
  public void inventoryChanged() {
    inventoryChanged = true;
  }
}
