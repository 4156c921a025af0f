package ai.thinkheads.phoenix.certs.workflows.certificate;

import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateStatus.Outcome;
import ai.thinkheads.phoenix.certs.workflows.model.CertificateSpec;
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
 * One renewal cycle per run: inspect the target, renew when needed (issue, activate, validate, reload, verify,
 * rolling back on any failure after activation), then wait for the renewal point, a renewNow signal or a new
 * spec, and continue as new so that history stays small.
 */
public class CertificateWorkflowImpl implements CertificateWorkflow {

  /** Failure types that retrying the same call cannot fix. */
  public static final String[] NON_RETRYABLE = {
    "InvalidSpec", "UnknownStepType", "ValidationFailed", "VerificationFailed", "IssuerRejected", "HostKeyRejected",
    "AuthenticationFailed"
  };

  private static final Logger log = Workflow.getLogger(CertificateWorkflowImpl.class);

  private CertificateSpec spec;
  private CertificateSpec pendingSpec;
  private CertificateStatus status;
  private boolean renewRequested;
  /** True while the run waits for its next renewal point: no step of a renewal is under way. */
  private boolean idle;
  /** This cycle's new pair has been put in place (the cycle may still validate, reload, verify or roll back). */
  private boolean swapped;

  @Override
  public void run(CertificateWorkflowInput input) {
    spec = input.spec();
    status = input.status();
    renewRequested = input.renewRequested();

    CertificateActivities steps = activities(spec);
    phase("inspecting target");
    TargetState state = steps.inspect(spec);
    Instant now = now();
    Optional<String> reason = RenewalPolicy.reasonToIssue(spec, state, now, renewRequested);
    boolean requested = renewRequested;
    renewRequested = false;
    if (reason.isPresent()) {
      log.info("{}: renewing: {}", spec.name(), reason.get());
      // A requested renewal that fails stays requested: the retry after the backoff renews, not just inspects.
      renewRequested = !renew(steps, state, reason.get()) && requested;
    } else {
      status = status.withLive(state.serial(), state.notAfter())
          .withNextRenewal(RenewalPolicy.renewalPoint(spec, state.notBefore(), state.notAfter()));
      if (status.lastOutcome() == Outcome.NONE) {
        status = status.succeeded(Outcome.UNCHANGED, now);
      }
    }

    publishNotAfter();
    Duration wait = Duration.between(now(), status.nextRenewal());
    phase("waiting until " + status.nextRenewal());
    idle = true;
    Workflow.await(wait.isNegative() ? Duration.ZERO : wait, () -> renewRequested || pendingSpec != null);
    CertificateSpec next = pendingSpec != null ? pendingSpec : spec;
    Workflow.continueAsNew(new CertificateWorkflowInput(next, status.withPhase("continuing"), renewRequested));
  }

  /** True when the new certificate is in place and verified. */
  private boolean renew(CertificateActivities steps, TargetState before, String reason) {
    Instant started = now();
    boolean activated = false;
    status = status.withNote(null);
    try {
      phase("issuing (" + reason + ")");
      StagedCertificate staged = steps.issueAndStage(spec);
      awaitPredecessors();
      phase("activating " + staged.serial());
      ActivationResult activation = steps.activate(spec, staged);
      activated = true;
      swapped = true;
      // Version 1 skips the calls for steps the spec says "none" to: two round trips fewer per renewal.
      boolean callNoOps = Workflow.getVersion("skip-none-steps", Workflow.DEFAULT_VERSION, 1)
          == Workflow.DEFAULT_VERSION;
      if (callNoOps || !spec.validate().isNone()) {
        phase("validating");
        steps.validate(spec);
      }
      if (callNoOps || !spec.reload().isNone()) {
        phase("reloading");
        steps.reload(spec);
      }
      if (callNoOps || !spec.verify().isNone()) {
        phase("verifying " + staged.serial());
        steps.verify(spec, staged.serial());
      }
      status = status.withLive(staged.serial(), staged.notAfter())
          .withNextRenewal(RenewalPolicy.nextAfterIssue(spec, staged.notBefore(), staged.notAfter(), now()))
          .succeeded(activation.hadPrevious() || before.present() ? Outcome.RENEWED : Outcome.ISSUED, started);
      return true;
    } catch (ActivityFailure e) {
      String error = describe(e);
      Outcome outcome = Outcome.FAILED;
      if (activated) {
        RollbackReport report = rollBack(steps, error);
        outcome = report.outcome();
        error = report.error();
      }
      log.warn("{}: renewal failed: {}", spec.name(), error);
      status = status.withLive(before.usable() ? before.serial() : null, before.usable() ? before.notAfter() : null)
          .failed(outcome, error, started);
      status = status.withNextRenewal(
          now().plus(RenewalPolicy.retryDelay(now(), status.notAfter(), status.consecutiveFailures())));
      return false;
    }
  }

  /**
   * A certificate that comes {@code after} others activates its new pair only once none of them is renewing or
   * about to (version 1; runs recorded before it had no such wait). Absent predecessors and a bounded wait never
   * stop the renewal: the status's note says when it went ahead regardless.
   */
  private void awaitPredecessors() {
    if (spec.after().isEmpty()
        || Workflow.getVersion("await-predecessors", Workflow.DEFAULT_VERSION, 1) == Workflow.DEFAULT_VERSION) {
      return;
    }
    phase("waiting for " + String.join(", ", spec.after()));
    OrderingResult result = ordering(spec).awaitPredecessors(spec.name(), spec.after());
    if (result.note() != null) {
      log.warn("{}: {}", spec.name(), result.note());
      status = status.withNote(result.note());
    }
  }

  /**
   * Puts the previous pair back and makes the service serve it again. The outcome is ROLLED_BACK once the
   * files are restored, even if the service then refuses to reload: the error says so.
   */
  private RollbackReport rollBack(CertificateActivities steps, String error) {
    String restored;
    try {
      phase("rolling back: " + error);
      restored = steps.rollback(spec);
    } catch (ActivityFailure rollbackFailure) {
      return new RollbackReport(Outcome.FAILED, error + "; rollback failed too: " + describe(rollbackFailure));
    }
    if (restored == null) {
      return new RollbackReport(Outcome.FAILED, error + "; no previous certificate to roll back to");
    }
    try {
      steps.reload(spec);
      steps.verify(spec, restored);
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
    Workflow.setCurrentDetails(spec.name() + ": " + phase);
  }

  private static Instant now() {
    return Instant.ofEpochMilli(Workflow.currentTimeMillis());
  }

  private static CertificateActivities activities(CertificateSpec spec) {
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
        .setSummary(spec.name() + " on " + spec.target().guestId())
        .build();
    return Workflow.newActivityStub(CertificateActivities.class, options);
  }

  /** The wait is bounded inside the activity ({@link OrderingActivities#MAX_WAIT}); this only has to outlast it. */
  private static OrderingActivities ordering(CertificateSpec spec) {
    return Workflow.newActivityStub(OrderingActivities.class, ActivityOptions.newBuilder()
        .setStartToCloseTimeout(OrderingActivities.MAX_WAIT.plusMinutes(5))
        .setHeartbeatTimeout(Duration.ofSeconds(10))
        .setRetryOptions(RetryOptions.newBuilder()
            .setInitialInterval(Duration.ofSeconds(1))
            .setMaximumAttempts(3)
            .build())
        .setSummary(spec.name() + " after " + String.join(", ", spec.after()))
        .build());
  }

  @Override
  public CertificateStatus status() {
    return status;
  }

  @Override
  public CertificateSpec spec() {
    return pendingSpec != null ? pendingSpec : spec;
  }

  @Override
  public CycleState cycle() {
    return new CycleState(idle, renewRequested || pendingSpec != null, status.nextRenewal(), status.phase(),
        swapped);
  }

  @Override
  public void renewNow() {
    renewRequested = true;
  }

  @Override
  public void updateSpec(CertificateSpec newSpec) {
    pendingSpec = newSpec;
  }
}
