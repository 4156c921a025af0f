package ai.thinkheads.phoenix.certs.workflows.certificate;

import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateStatus.Outcome;
import ai.thinkheads.phoenix.certs.workflows.coordination.ReloadOutcome;
import ai.thinkheads.phoenix.certs.workflows.failure.FailureType;
import ai.thinkheads.phoenix.certs.workflows.model.SearchAttributes;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;

/**
 * One attempt per run: inspect the target (and read the inventory's policy), renew when needed (issue, activate,
 * validate, reload, verify, rolling back on any failure after activation), then wait and continue as new so that
 * history stays small.
 *
 * <p>What must hold across the guest's certificates, whichever worker runs which step, is held by the guest's
 * coordinator ({@link GuestPairs}): a swap has the guest's pairs to itself, a validate reads them while none is
 * half swapped, and certificates renewed together share one reload, which the coordinator runs. A certificate
 * that comes {@code after} others asks them to tell it when they are between cycles, and waits (a bounded time)
 * before it activates.
 *
 * <p>One failure policy, whatever started the attempt (the renewal point, renewNow, an inventory change): a
 * failed attempt is recorded and followed by a backoff scaled to the remaining lifetime; a failure that needs a
 * change waits the longest backoff at once. During a backoff a renewNow is remembered and served when it ends;
 * only renewForce (one attempt) or an inventory change ends it early. No step failure ends the workflow, except
 * a name the worker's inventory does not hold.
 */
public class CertificateWorkflowImpl implements CertificateWorkflow {

  /** How long a certificate waits for the ones it comes after before it goes ahead without them. */
  static final Duration ORDER_WAIT = Duration.ofMinutes(10);
  /** A certificate this close to its next attempt is not between cycles: the ones after it wait for that one. */
  static final Duration DUE_SOON = Duration.ofMinutes(1);
  /**
   * Runs from this version on publish their status (memo, search attributes) as it changes and spread their
   * renewal points ({@link RenewalPolicy#spread}); runs recorded before it replay as they ran.
   */
  static final String STATUS_PROJECTION = "status-projection";

  private static final Logger log = Workflow.getLogger(CertificateWorkflowImpl.class);

  private String name;
  private CertificatePolicy policy;
  private CertificateStatus status;
  private GuestPairs pairs;
  private boolean renewRequested;
  private boolean forced;
  private boolean inventoryChanged;
  /** True while the run waits for its next attempt: no step of a renewal is under way. */
  private boolean idle;
  /**
   * A new pair went in and nothing could be put back: the target holds a pair its service never accepted, so the
   * next attempt runs the whole cycle again instead of finding the pair "fine".
   */
  private boolean unfinished;
  /** Whether this run publishes its status (see {@link #STATUS_PROJECTION}), and what it published last. */
  private boolean publishes;
  private CertificateStatus published;
  /** Certificates that come after this one, waiting to be told it is between cycles. */
  private final List<SettledWaiter> waiters = new ArrayList<>();
  /** Certificates this one comes after that have said they are between cycles, in this attempt. */
  private final Set<String> settledBefore = new HashSet<>();

  @Override
  public void run(CertificateRun input) {
    // the workflow ID is the name (cert/<name>); an input that names none (old-style, forged) gets the ID's
    name = input.name() != null ? input.name() : Workflow.getInfo().getWorkflowId().replaceFirst("^cert/", "");
    status = input.status() != null ? input.status() : CertificateStatus.initial(name, null);
    publishes = Workflow.getVersion(STATUS_PROJECTION, Workflow.DEFAULT_VERSION, 1) >= 1;
    waiters.addAll(input.waiters());
    boolean requested = input.renewRequested();

    boolean failed = !attempt(requested);
    publishNotAfter();
    idle = true;
    if (failed) {
      // a renewNow now is remembered for when the backoff ends; it does not end it
      phase("backing off until " + status.nextRenewal() + " after " + status.consecutiveFailures()
          + (status.consecutiveFailures() == 1 ? " failure" : " failures")
          + (FailureType.of(status.failure()).map(FailureType::needsChange).orElse(false)
              ? " (needs a change: retried when the inventory or its files change, or on renew --force)" : ""));
      renewRequested |= requested || unfinished;
      waitUntilNextAttempt(() -> forced || inventoryChanged);
    } else {
      phase("waiting until " + status.nextRenewal());
      waitUntilNextAttempt(() -> renewRequested || forced || inventoryChanged);
    }
    Workflow.continueAsNew(new CertificateRun(name, status.withPhase("continuing"), renewRequested || forced,
        waiters));
  }

  /**
   * Waits for the next attempt (its time, or {@code wake}), telling the certificates that come after this one that
   * it is between cycles, unless its next attempt is due within a minute: then they wait for that one.
   */
  private void waitUntilNextAttempt(io.temporal.workflow.Functions.Func<Boolean> wake) {
    while (true) {
      if (!waiters.isEmpty() && betweenCycles()) {
        tellWaiters(List.copyOf(waiters), false);
      }
      Duration left = Duration.between(now(), status.nextRenewal());
      boolean woke = Workflow.await(positive(left), () -> wake.apply() || (!waiters.isEmpty() && betweenCycles()));
      if (!woke || wake.apply()) {
        return;
      }
    }
  }

  private boolean betweenCycles() {
    return idle && !renewRequested && !forced && !inventoryChanged
        && status.nextRenewal() != null && status.nextRenewal().isAfter(now().plus(DUE_SOON));
  }

  /** One attempt: true when the target ends as the inventory wants it (renewed, or nothing was due). */
  private boolean attempt(boolean requested) {
    phase("inspecting target");
    Inspection inspection;
    try {
      inspection = activities(name).inspect(name);
    } catch (ActivityFailure e) {
      StepFailure failure = StepFailure.of(e);
      if (failure.type() == FailureType.NOT_IN_INVENTORY) {
        // a forged or stale workflow: it ends here, failed, with the worker's reason
        status = status.failed(Outcome.FAILED, failure.type().type(), failure.getMessage(), now())
            .withPhase("refused");
        publish();
        throw FailureType.NOT_IN_INVENTORY.failure(failure.getMessage());
      }
      recordFailure(failure, Outcome.FAILED, failure.getMessage(), null);
      return false;
    }
    policy = inspection.policy();
    status = status.withGuest(policy.guestId());
    pairs = new GuestPairs(name, policy.guestId());
    recordDigest();
    TargetState state = inspection.target();
    Optional<String> reason = RenewalPolicy.reasonToIssue(policy, state, now(), requested);
    if (reason.isEmpty()) {
      status = status.withLive(state.serial(), state.notAfter())
          .withNextRenewal(spread(RenewalPolicy.renewalPoint(policy, state.notBefore(), state.notAfter()),
              state.notAfter()));
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
    boolean reloadExpected = false;
    String lease = null;
    status = status.withNote(null);
    try {
      phase("issuing (" + reason + ")");
      if (policy.reloads()) {
        // from here on a reload batch of this guest waits for this one, so all renewed together take one reload
        pairs.expectReload(policy.reloadKey(), true);
        reloadExpected = true;
      }
      StagedCertificate issued = steps.issueAndStage(ref);
      staged = true;
      awaitPredecessors();
      phase("activating " + issued.serial());
      // the swap, its check and, should either fail, the restore hold the guest's pairs alone: no other swap, and
      // no reload reads them meanwhile
      lease = pairs.holdExclusively();
      ActivationResult activation = steps.activate(ref, issued.serial());
      activated = true;
      tellWaiters(waiters.stream().filter(w -> policy.reloadKey() != null
          && policy.reloadKey().equals(w.reloadKey())).toList(), true);
      if (policy.validates()) {
        phase("validating");
        steps.validate(ref);
      }
      String held = lease;
      lease = null;
      if (policy.reloads()) {
        phase("reloading");
        reloadExpected = false;
        pairs.releaseAndReload(held, policy.reloadKey(), ref);
      } else {
        pairs.release(held);
      }
      if (policy.verifies()) {
        phase("verifying " + issued.serial());
        steps.verify(ref, issued.serial());
      }
      // verified: nothing from here on may roll the new pair back
      activated = false;
      settle(steps, ref);
      status = status.withLive(issued.serial(), issued.notAfter())
          .withNextRenewal(spread(RenewalPolicy.nextAfterIssue(policy, issued.notBefore(), issued.notAfter(), now()),
              issued.notAfter()))
          .succeeded(activation.hadPrevious() || before.present() ? Outcome.RENEWED : Outcome.ISSUED, now());
      return true;
    } catch (ActivityFailure | StepFailure e) {
      StepFailure failure = e instanceof ActivityFailure activity ? StepFailure.of(activity) : (StepFailure) e;
      if (reloadExpected) {
        pairs.expectReload(policy.reloadKey(), false);
      }
      String error = failure.getMessage();
      Outcome outcome = Outcome.FAILED;
      if (activated) {
        RollbackReport report = rollBack(steps, ref, error, lease);
        outcome = report.outcome();
        error = report.error();
        unfinished = outcome != Outcome.ROLLED_BACK;
      } else {
        if (staged) {
          forget(() -> steps.discardStaged(ref));
        }
        if (lease != null) {
          pairs.release(lease);
        }
      }
      recordFailure(failure, outcome, error, before);
      return false;
    }
  }

  /**
   * The verified pair's predecessor becomes the backup. Failing that is no reason to undo a served, verified
   * renewal: the note says so, and the next renewal settles over it.
   */
  private void settle(CertificateActivities steps, CertificateRef ref) {
    try {
      steps.settle(ref);
    } catch (ActivityFailure failure) {
      String note = "renewed and verified, but the pair it replaced is still the rollback point, not the backup: "
          + StepFailure.of(failure).getMessage();
      log.warn("{}: {}", name, note);
      status = status.withNote(status.note() == null ? note : status.note() + "; " + note);
    }
  }

  /**
   * The failure, and the backoff it earns: scaled to the remaining lifetime, the longest at once for a failure
   * that needs a change. One log line per attempt.
   */
  private void recordFailure(StepFailure failure, Outcome outcome, String error, TargetState before) {
    if (before != null) {
      status = status.withLive(before.usable() ? before.serial() : null, before.usable() ? before.notAfter() : null);
    }
    status = status.failed(outcome, failure.type().type(), error, now());
    Instant next = now().plus(RenewalPolicy.backoff(failure.type(), now(), status.notAfter(),
        status.consecutiveFailures()));
    status = status.withNextRenewal(next);
    log.warn("{}: attempt {} failed ({}): {}; next attempt at {}", name, status.consecutiveFailures(),
        failure.type().type(), error, next);
  }

  /** Tidying after a failed attempt; best effort: the failure is the news. */
  private void forget(Runnable tidy) {
    try {
      tidy.run();
    } catch (ActivityFailure | StepFailure e) {
      log.warn("{}: could not tidy up after the failed attempt: {}", name, e.getMessage());
    }
  }

  /**
   * A certificate that comes {@code after} others activates its new pair only once each of them has said it is
   * between cycles (or, sharing its reload, that its pair is in). One that does not run is skipped, and the wait
   * is bounded: the status's note says when it went ahead regardless.
   */
  private void awaitPredecessors() {
    if (policy.after().isEmpty()) {
      return;
    }
    phase("waiting for " + String.join(", ", policy.after()));
    List<String> skipped = new ArrayList<>();
    List<String> asked = new ArrayList<>();
    for (String predecessor : policy.after()) {
      String id = CertificateWorkflow.workflowIdFor(predecessor);
      if (ExternalSignal.delivered(() -> Workflow.newExternalWorkflowStub(CertificateWorkflow.class, id)
          .notifyWhenSettled(new SettledWaiter(name, policy.reloadKey())))) {
        asked.add(predecessor);
      } else {
        skipped.add(id + " is not running");
      }
    }
    boolean all = Workflow.await(ORDER_WAIT, () -> settledBefore.containsAll(asked));
    List<String> late = asked.stream().filter(p -> !settledBefore.contains(p)).toList();
    settledBefore.clear();
    String note = skipped.isEmpty() ? null : "went ahead without waiting: " + String.join("; ", skipped);
    if (!all) {
      note = (note == null ? "" : note + "; ") + "went ahead after waiting " + ORDER_WAIT.toMinutes() + " min for "
          + String.join(", ", late);
    }
    if (note != null) {
      log.warn("{}: {}", name, note);
      status = status.withNote(note);
    }
  }

  /** Tells {@code told} that this certificate is between cycles ({@code swapped}: its pair is in). */
  private void tellWaiters(List<SettledWaiter> told, boolean swapped) {
    for (SettledWaiter waiter : told) {
      waiters.remove(waiter);
      if (!ExternalSignal.delivered(() -> Workflow.newExternalWorkflowStub(CertificateWorkflow.class,
          CertificateWorkflow.workflowIdFor(waiter.dependent())).predecessorSettled(
              new PredecessorSettled(name, swapped)))) {
        log.info("{}: {} no longer runs", name, waiter.dependent());
      }
    }
  }

  /**
   * Puts the previous pair back and makes the service serve it again, holding the guest's pairs through the
   * restore ({@code lease} when the failure came while they were held). The outcome is ROLLED_BACK once the files
   * are restored, even if the service then refuses to reload: the error says so.
   */
  private RollbackReport rollBack(CertificateActivities steps, CertificateRef ref, String error, String lease) {
    phase("rolling back: " + error);
    String held = lease;
    String restored;
    try {
      if (held == null) {
        held = pairs.holdExclusively();
      }
      restored = steps.rollback(ref);
    } catch (ActivityFailure | StepFailure rollbackFailure) {
      if (held != null) {
        pairs.release(held);
      }
      return new RollbackReport(Outcome.FAILED, error + "; rollback failed too: " + message(rollbackFailure));
    }
    if (restored == null) {
      pairs.release(held);
      return new RollbackReport(Outcome.FAILED, error + "; no previous certificate to roll back to");
    }
    try {
      if (policy.reloads()) {
        pairs.releaseAndReload(held, policy.reloadKey(), ref);
      } else {
        pairs.release(held);
      }
      if (policy.verifies()) {
        steps.verify(ref, restored);
      }
      return new RollbackReport(Outcome.ROLLED_BACK, error + "; rolled back to " + restored);
    } catch (ActivityFailure | StepFailure afterRollback) {
      return new RollbackReport(Outcome.ROLLED_BACK, error + "; rolled back to " + restored
          + ", but then: " + message(afterRollback));
    }
  }

  private static String message(RuntimeException failure) {
    return failure instanceof ActivityFailure activity ? StepFailure.of(activity).getMessage() : failure.getMessage();
  }

  private record RollbackReport(Outcome outcome, String error) {}

  /** The inventory digest this run works to, in the memo: a restarted worker's reconcile compares it. */
  private void recordDigest() {
    if (!policy.digest().equals(Workflow.getMemo(DIGEST_MEMO, String.class))) {
      Workflow.upsertMemo(Map.of(DIGEST_MEMO, policy.digest()));
    }
  }

  /** NotAfter as a search attribute, when the run was started with ours (the server has them registered). */
  private void publishNotAfter() {
    if (status.notAfter() != null && hasOurAttributes()) {
      OffsetDateTime notAfter = OffsetDateTime.ofInstant(status.notAfter(), ZoneOffset.UTC);
      if (publishes && sameInstant(notAfter, Workflow.getTypedSearchAttributes().get(SearchAttributes.NOT_AFTER))) {
        return; // unchanged: no event
      }
      Workflow.upsertTypedSearchAttributes(SearchAttributes.NOT_AFTER.valueSet(notAfter));
    }
  }

  /**
   * The status where it can be read without replaying this history (a query on a workflow out of the worker's
   * cache replays it whole): the memo, which one visibility list or describe returns and the worker's projection
   * is fed from, and, where ours are registered, the search attributes NextRenewal and LastOutcome to filter by.
   * Only when it changed: an idle certificate adds two small events per renewal cycle.
   */
  private void publish() {
    if (!publishes || status.equals(published)) {
      return;
    }
    published = status;
    Workflow.upsertMemo(Map.of(STATUS_MEMO, status.forMemo()));
    if (!hasOurAttributes()) {
      return;
    }
    io.temporal.common.SearchAttributes current = Workflow.getTypedSearchAttributes();
    List<io.temporal.common.SearchAttributeUpdate<?>> updates = new ArrayList<>();
    if (status.nextRenewal() != null) {
      OffsetDateTime next = OffsetDateTime.ofInstant(status.nextRenewal(), ZoneOffset.UTC);
      if (!sameInstant(next, current.get(SearchAttributes.NEXT_RENEWAL))) {
        updates.add(SearchAttributes.NEXT_RENEWAL.valueSet(next));
      }
    }
    String outcome = status.lastOutcome() == null ? null : status.lastOutcome().name().toLowerCase();
    if (outcome != null && !outcome.equals(current.get(SearchAttributes.LAST_OUTCOME))) {
      updates.add(SearchAttributes.LAST_OUTCOME.valueSet(outcome));
    }
    if (!updates.isEmpty()) {
      Workflow.upsertTypedSearchAttributes(updates.toArray(io.temporal.common.SearchAttributeUpdate<?>[]::new));
    }
  }

  private static boolean hasOurAttributes() {
    return Workflow.getTypedSearchAttributes().containsKey(SearchAttributes.CERT_NAME);
  }

  private static boolean sameInstant(OffsetDateTime a, OffsetDateTime b) {
    return b != null && a.toInstant().equals(b.toInstant());
  }

  private void phase(String phase) {
    status = status.withPhase(phase);
    Workflow.setCurrentDetails(name + ": " + phase);
    publish();
  }

  /** The renewal point, spread (see {@link RenewalPolicy#spread}) in runs of this version on. */
  private Instant spread(Instant point, Instant notAfter) {
    return publishes ? RenewalPolicy.spread(name, point, notAfter) : point;
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

  @Override
  public CertificateStatus status() {
    return status;
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

  /** Grants and outcomes only ever answer this run's requests, made once it has inspected (pairs is set). */
  @Override
  public void leaseGranted(String leaseId) {
    if (pairs != null) {
      pairs.granted(leaseId);
    }
  }

  @Override
  public void reloaded(ReloadOutcome outcome) {
    if (pairs != null) {
      pairs.reloaded(outcome);
    }
  }

  @Override
  public void notifyWhenSettled(SettledWaiter waiter) {
    if (!waiters.contains(waiter)) {
      waiters.add(waiter);
    }
  }

  @Override
  public void predecessorSettled(PredecessorSettled settled) {
    settledBefore.add(settled.predecessor());
  }
}
