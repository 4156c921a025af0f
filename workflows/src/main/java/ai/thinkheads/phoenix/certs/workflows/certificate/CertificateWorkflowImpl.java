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
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;

/**
 * One attempt per run: inspect the target (and read the inventory's policy), renew when needed (issue, activate,
 * validate, reload, verify, rolling back on any failure after activation), then wait and continue as new so that
 * history stays small.
 *
 * <p>One failure policy, whatever started the attempt (the renewal point, renewNow, an inventory change): a
 * failed attempt is recorded and followed by a backoff scaled to the remaining lifetime; a failure that needs a
 * change waits the longest backoff at once. During a backoff a renewNow is remembered and served when it ends;
 * only renewForce (one attempt) or an inventory change ends it early. No step failure ends the workflow, except
 * a name the worker's inventory does not hold.
 */
public class CertificateWorkflowImpl implements CertificateWorkflow {

  private static final Logger log = Workflow.getLogger(CertificateWorkflowImpl.class);

  private String name;
  private CertificatePolicy policy;
  private CertificateStatus status;
  private boolean renewRequested;
  private boolean forced;
  private boolean inventoryChanged;
  /** True while the run waits for its next attempt: no step of a renewal is under way. */
  private boolean idle;
  /** This cycle's new pair has been put in place (the cycle may still validate, reload, verify or roll back). */
  private boolean swapped;
  /**
   * A new pair went in and nothing could be put back: the target holds a pair its service never accepted, so the
   * next attempt runs the whole cycle again instead of finding the pair "fine".
   */
  private boolean unfinished;

  @Override
  public void run(CertificateRun input) {
    // the workflow ID is the name (cert/<name>); an input that names none (old-style, forged) gets the ID's
    name = input.name() != null ? input.name() : Workflow.getInfo().getWorkflowId().replaceFirst("^cert/", "");
    status = input.status() != null ? input.status() : CertificateStatus.initial(name, null);
    boolean requested = input.renewRequested();

    boolean failed = !attempt(requested);
    publishNotAfter();
    idle = true;
    Duration wait = Duration.between(now(), status.nextRenewal());
    if (failed) {
      // a renewNow now is remembered for when the backoff ends; it does not end it
      phase("backing off until " + status.nextRenewal() + " after " + status.consecutiveFailures()
          + (status.consecutiveFailures() == 1 ? " failure" : " failures")
          + (FailureType.of(status.failure()).map(FailureType::needsChange).orElse(false)
              ? " (needs a change: retried when the inventory or its files change, or on renew --force)" : ""));
      renewRequested |= requested || unfinished;
      Workflow.await(positive(wait), () -> forced || inventoryChanged);
    } else {
      phase("waiting until " + status.nextRenewal());
      Workflow.await(positive(wait), () -> renewRequested || forced || inventoryChanged);
    }
    Workflow.continueAsNew(new CertificateRun(name, status.withPhase("continuing"), renewRequested || forced));
  }

  /** One attempt: true when the target ends as the inventory wants it (renewed, or nothing was due). */
  private boolean attempt(boolean requested) {
    phase("inspecting target");
    Inspection inspection;
    try {
      inspection = activities(name).inspect(name);
    } catch (ActivityFailure e) {
      if (FailureType.NOT_IN_INVENTORY.is(e.getCause())) {
        // a forged or stale workflow: it ends here, failed, with the worker's reason
        status = status.failed(Outcome.FAILED, FailureType.NOT_IN_INVENTORY.type(), describe(e), now())
            .withPhase("refused");
        throw FailureType.NOT_IN_INVENTORY.failure(describe(e));
      }
      recordFailure(e, Outcome.FAILED, describe(e), null);
      return false;
    }
    policy = inspection.policy();
    status = status.withGuest(policy.guestId());
    recordDigest();
    TargetState state = inspection.target();
    Optional<String> reason = RenewalPolicy.reasonToIssue(policy, state, now(), requested);
    if (reason.isEmpty()) {
      status = status.withLive(state.serial(), state.notAfter())
          .withNextRenewal(RenewalPolicy.renewalPoint(policy, state.notBefore(), state.notAfter()));
      if (status.lastOutcome() == Outcome.NONE || status.consecutiveFailures() > 0) {
        status = status.succeeded(Outcome.UNCHANGED, now());
      }
      return true;
    }
    log.info("{}: renewing: {}", name, reason.get());
    return renew(activities(policy.name() + " on " + policy.guestId()), inspection.ref(), state, reason.get());
  }

  /** True when the new certificate is in place and verified. */
  private boolean renew(CertificateActivities steps, CertificateRef ref, TargetState before, String reason) {
    boolean staged = false;
    boolean activated = false;
    status = status.withNote(null);
    try {
      phase("issuing (" + reason + ")");
      StagedCertificate issued = steps.issueAndStage(ref);
      staged = true;
      awaitPredecessors();
      phase("activating " + issued.serial());
      ActivationResult activation = steps.activate(ref, issued.serial());
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
        phase("verifying " + issued.serial());
        steps.verify(ref, issued.serial());
      }
      steps.settle(ref);
      status = status.withLive(issued.serial(), issued.notAfter())
          .withNextRenewal(RenewalPolicy.nextAfterIssue(policy, issued.notBefore(), issued.notAfter(), now()))
          .succeeded(activation.hadPrevious() || before.present() ? Outcome.RENEWED : Outcome.ISSUED, now());
      return true;
    } catch (ActivityFailure e) {
      String error = describe(e);
      Outcome outcome = Outcome.FAILED;
      if (activated) {
        RollbackReport report = rollBack(steps, ref, error);
        outcome = report.outcome();
        error = report.error();
        unfinished = outcome != Outcome.ROLLED_BACK;
      } else if (staged) {
        discard(steps, ref);
      }
      recordFailure(e, outcome, error, before);
      return false;
    }
  }

  /**
   * The failure, and the backoff it earns: scaled to the remaining lifetime, the longest at once for a failure
   * that needs a change. One log line per attempt.
   */
  private void recordFailure(ActivityFailure cause, Outcome outcome, String error, TargetState before) {
    FailureType type = FailureType.of(cause.getCause());
    if (before != null) {
      status = status.withLive(before.usable() ? before.serial() : null, before.usable() ? before.notAfter() : null);
    }
    status = status.failed(outcome, type.type(), error, now());
    Instant next = now().plus(RenewalPolicy.backoff(type, now(), status.notAfter(), status.consecutiveFailures()));
    status = status.withNextRenewal(next);
    log.warn("{}: attempt {} failed ({}): {}; next attempt at {}", name, status.consecutiveFailures(), type.type(),
        error, next);
  }

  /** A failed attempt leaves nothing on the target: its staged pair goes. Best effort: the failure is the news. */
  private void discard(CertificateActivities steps, CertificateRef ref) {
    try {
      steps.discardStaged(ref);
    } catch (ActivityFailure e) {
      log.warn("{}: the staged pair could not be removed: {}", name, describe(e));
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
      Workflow.upsertMemo(Map.of(DIGEST_MEMO, policy.digest()));
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

  private static Duration positive(Duration wait) {
    return wait.isNegative() ? Duration.ZERO : wait;
  }

  private static Instant now() {
    return Instant.ofEpochMilli(Workflow.currentTimeMillis());
  }

  /** Retried by Temporal only where the failure's type says a retry can help (see {@link FailureType}). */
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
            .setDoNotRetry(FailureType.nonRetryable())
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
            .setDoNotRetry(FailureType.nonRetryable())
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
    return new CycleState(idle, renewRequested || forced || inventoryChanged, status.nextRenewal(), status.phase(),
        swapped);
  }

  @Override
  public void renewNow() {
    renewRequested = true;
  }

  @Override
  public void renewForce() {
    forced = true;
  }

  @Override
  public void inventoryChanged() {
    inventoryChanged = true;
  }
}
