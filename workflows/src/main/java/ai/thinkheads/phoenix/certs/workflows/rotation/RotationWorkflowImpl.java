package ai.thinkheads.phoenix.certs.workflows.rotation;

import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateWorkflow;
import ai.thinkheads.phoenix.certs.workflows.failure.FailureType;
import ai.thinkheads.phoenix.certs.workflows.guest.GuestOnboardingWorkflow;
import ai.thinkheads.phoenix.certs.workflows.guest.OnboardingRequest;
import io.temporal.activity.ActivityOptions;
import io.temporal.api.enums.v1.ParentClosePolicy;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.ChildWorkflowFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.ChildWorkflowOptions;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;

/**
 * Overlap, re-issue, retire. The phase is the worker's switch (see {@link RotationPhase}); after each change the
 * workflow waits out the workers' cache of it before acting on it. Trust stores change through each guest's own
 * onboarding (a child {@code guest/<ref>}), certificates through their own workflows ({@code renewForce}, then
 * their live and served chain is checked until it ends at the new root). A guest or certificate that does not get
 * there is retried and listed as waiting; it holds up only the step that needs it (retiring the old root waits
 * for every guest and every certificate).
 */
public class RotationWorkflowImpl implements RotationWorkflow {

  /** Longer than a worker caches the phase it read (2 s), so every worker acts on the new one. */
  static final Duration SWITCH_SETTLE = Duration.ofSeconds(5);
  static final String BOUNDED_ONBOARDING = "bounded-onboarding";
  /** An onboarding still under way after this (or after guestWait, if shorter) is reported as not answering. */
  static final Duration SLOW_GUEST = Duration.ofSeconds(30);
  /**
   * How often a certificate being re-issued is checked: only the ones under way are (at most concurrency), so
   * a short, slowly growing pause costs little and ends each slot soon after its renewal does.
   */
  static final Duration POLL_FIRST = Duration.ofSeconds(2);
  static final Duration POLL_MAX = Duration.ofSeconds(20);
  /** A certificate not on the new chain this long after renewForce is asked again. */
  static final Duration REISSUE_PATIENCE = Duration.ofMinutes(3);
  /** A finished rotation answers the workers until the inventory no longer lists both CAs. */
  static final Duration SETTLED_POLL = Duration.ofHours(6);

  private static final Logger log = Workflow.getLogger(RotationWorkflowImpl.class);

  private final RotationActivities steps = Workflow.newActivityStub(RotationActivities.class,
      ActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofMinutes(2))
          .setScheduleToCloseTimeout(Duration.ofMinutes(5))
          .setRetryOptions(RetryOptions.newBuilder()
              .setInitialInterval(Duration.ofSeconds(1))
              .setMaximumInterval(Duration.ofSeconds(20))
              .setDoNotRetry(FailureType.nonRetryable())
              .build())
          .setSummary("CA rotation step")
          .build());

  private RotationRequest request;
  private RotationPlan plan;
  private RotationPhase phase = RotationPhase.PLANNING;
  private final Set<String> guestsDone = new LinkedHashSet<>();
  private final Set<String> certificatesDone = new LinkedHashSet<>();
  private final Map<String, String> waiting = new LinkedHashMap<>();
  /** Guests whose onboarding (a child workflow) is under way. */
  private final Set<String> inFlight = new LinkedHashSet<>();
  /** Guests waiting for one of the {@code concurrency} onboarding slots. */
  private final Set<String> queued = new LinkedHashSet<>();
  /** Runs before this change started every guest's onboarding at once; their histories replay that way. */
  private boolean boundedOnboarding;
  private final Map<String, Long> startedAt = new LinkedHashMap<>();
  private boolean paused;
  private boolean aborted;
  private boolean retireRequested;
  private Instant retireAt;
  private String note;
  private int running;

  @Override
  public RotationProgress rotate(RotationRequest input) {
    boundedOnboarding = Workflow.getVersion(BOUNDED_ONBOARDING, Workflow.DEFAULT_VERSION, 1) >= 1;
    request = input != null ? input : new RotationRequest(null, null, null, false, null);
    retireRequested = request.retireNow();
    plan = steps.planRotation(request.to());
    log.info("rotation to {}: CA {} -> {}, root {} -> {}, {} guests, {} certificates", request.to(), plan.fromCa(),
        plan.toCa(), plan.fromRoot(), plan.toRoot(), plan.guests().size(), plan.certificates().size());
    if (plan.rootChanges()) {
      switchTo(RotationPhase.OVERLAP);
      startOnboarding(plan.guests());
      // a guest that does not answer within guestWait holds up retiring only: it keeps being tried meanwhile
      Workflow.await(request.guestWait(), () -> onboardingIdle() || aborted);
      Async.procedure(this::keepTryingOverlap);
    } else {
      note = "same root, new intermediate: no trust store changes";
    }
    if (stopIfAborted()) {
      return progress();
    }
    switchTo(RotationPhase.REISSUE);
    reissueAll(false);
    if (stopIfAborted()) {
      return progress();
    }
    if (plan.rootChanges()) {
      phase = RotationPhase.GRACE;
      if (!retireRequested) {
        retireAt = now().plus(request.grace());
        Workflow.await(request.grace(), () -> retireRequested || aborted);
      }
      Workflow.await(() -> !paused || aborted);
      if (stopIfAborted()) {
        return progress();
      }
      retireAt = null;
      switchTo(RotationPhase.RETIRE);
      // onboardings started before retiring installed both roots: let them end, then every guest again
      Workflow.await(this::onboardingIdle);
      guestsDone.clear();
      while (guestsDone.size() < plan.guests().size()) {
        startOnboarding(plan.guests());
        Workflow.await(this::onboardingIdle);
        if (guestsDone.size() < plan.guests().size()) {
          Workflow.sleep(request.guestRetry());
        }
      }
      certificatesDone.clear();
      reissueAll(true);
    }
    phase = RotationPhase.DONE;
    log.info("rotation to {} done", request.to());
    while (steps.stillListed(plan.fromCa(), plan.toCa())) {
      note = "done; remove " + (request.to() == RotationTarget.NEXT ? "ca.next (make it ca:)" : "ca.previous")
          + " from the inventory";
      Workflow.sleep(SETTLED_POLL);
    }
    note = "done; the inventory names the new CA alone";
    return progress();
  }

  private void switchTo(RotationPhase next) {
    phase = next;
    Workflow.setCurrentDetails(progress().summary());
    Workflow.sleep(SWITCH_SETTLE);
  }

  private boolean stopIfAborted() {
    if (!aborted) {
      return false;
    }
    switchTo(RotationPhase.ABORTED);
    note = "aborted: the old CA issues again and both roots stay trusted";
    return true;
  }

  /** Retries the guests the overlap could not reach, until they are done or retiring takes over. */
  private void keepTryingOverlap() {
    while (phase == RotationPhase.OVERLAP || phase == RotationPhase.REISSUE || phase == RotationPhase.GRACE) {
      if (guestsDone.size() >= plan.guests().size()) {
        return;
      }
      Workflow.sleep(request.guestRetry());
      if (phase == RotationPhase.REISSUE || phase == RotationPhase.GRACE) {
        startOnboarding(plan.guests());
      }
    }
  }

  /**
   * Starts the onboarding of each guest not done and not under way (it installs every root the worker says must
   * be trusted and removes a retired one); each records its outcome when it ends.
   */
  private void startOnboarding(List<String> guests) {
    List<String> added = new ArrayList<>();
    for (String guest : guests) {
      if (!guestsDone.contains(guest) && !inFlight.contains(guest) && queued.add(guest)) {
        added.add(guest);
        // how long a guest has not answered counts from when it was asked for, slot or not
        startedAt.put(guest, Workflow.currentTimeMillis());
      }
    }
    if (boundedOnboarding) {
      // guests that hang hold their slots, the others go on, and the caller's own wait (guestWait) still ends
      Async.procedure(() -> dispatch(added));
    } else {
      dispatch(added);
    }
  }

  /**
   * Starts each guest's onboarding as a slot frees: at most {@code concurrency} at once, as LXC guests share
   * their Proxmox node's CPU and a trust store rebuild (update-ca-certificates) is costly.
   */
  private void dispatch(List<String> guests) {
    for (String guest : guests) {
      Workflow.await(() -> (!paused && (!boundedOnboarding || inFlight.size() < request.concurrency()))
          || aborted);
      queued.remove(guest);
      if (aborted && !phase.oldRootRetired()) {
        guests.forEach(queued::remove);
        return;
      }
      inFlight.add(guest);
      Async.procedure(() -> {
        try {
          onboard(guest);
        } finally {
          inFlight.remove(guest);
        }
      });
    }
  }

  private boolean onboardingIdle() {
    return inFlight.isEmpty() && queued.isEmpty();
  }

  private void onboard(String guest) {
    GuestOnboardingWorkflow child = Workflow.newChildWorkflowStub(GuestOnboardingWorkflow.class,
        ChildWorkflowOptions.newBuilder()
            .setWorkflowId(GuestOnboardingWorkflow.workflowIdFor(guest))
            .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE)
            .setParentClosePolicy(ParentClosePolicy.PARENT_CLOSE_POLICY_ABANDON)
            .setStaticSummary("CA rotation (" + phase.name().toLowerCase(java.util.Locale.ROOT) + "): trust on "
                + guest)
            .build());
    try {
      child.onboard(new OnboardingRequest("ca rotation, " + phase.name().toLowerCase(java.util.Locale.ROOT)));
      guestsDone.add(guest);
      waiting.remove("guest " + guest);
    } catch (ChildWorkflowFailure | io.temporal.client.WorkflowExecutionAlreadyStarted failure) {
      // failed, or already running (a guest event started it): either way tried again later
      String reason = failure.getCause() instanceof ApplicationFailure app ? app.getOriginalMessage()
          : String.valueOf(failure.getCause() != null ? failure.getCause().getMessage() : failure.getMessage());
      waiting.put("guest " + guest, reason + " (retrying every " + every() + ")");
      log.warn("rotation: guest {} not done: {}", guest, reason);
    }
  }

  /** Every certificate through its own workflow, {@code concurrency} at a time, until its chain is right. */
  private void reissueAll(boolean retired) {
    List<Promise<Void>> all = new ArrayList<>();
    for (String name : plan.certificates()) {
      Workflow.await(() -> (running < request.concurrency() && !paused) || (aborted && !retired));
      if (aborted && !retired) {
        break;
      }
      running++;
      all.add(Async.procedure(() -> {
        try {
          reissue(name, retired);
        } finally {
          running--;
        }
      }));
    }
    Promise.allOf(all).get();
  }

  /**
   * Every certificate is renewed once through its own cycle (an intermediate-only rotation leaves the chain's
   * root as it was, so only a new serial on the new chain shows the renewal happened); when retiring, a
   * certificate already off the old root is left alone.
   */
  private void reissue(String name, boolean retired) {
    ChainCheck first = check(name, retired);
    if (retired && first.onNewRoot()) {
      done(name);
      return;
    }
    String before = first.serial();
    while (!(aborted && !retired)) {
      // a name-only intent: the certificate's own cycle issues from whichever CA the worker says
      try {
        Workflow.newUntypedExternalWorkflowStub(CertificateWorkflow.workflowIdFor(name)).signal("renewForce");
      } catch (io.temporal.workflow.SignalExternalWorkflowException notRunning) {
        // the next reconcile pass starts it; its first cycle issues from the CA the worker says
        waiting.put("certificate " + name, CertificateWorkflow.workflowIdFor(name) + " is not running");
      }
      Duration pause = POLL_FIRST;
      Instant giveUp = now().plus(REISSUE_PATIENCE);
      while (now().isBefore(giveUp) && !(aborted && !retired)) {
        Workflow.sleep(pause);
        ChainCheck check = check(name, retired);
        if (check.onNewRoot() && !java.util.Objects.equals(check.serial(), before)) {
          done(name);
          return;
        }
        waiting.put("certificate " + name, check.onNewRoot() ? "serial " + check.serial() + " not renewed yet"
            : check.detail());
        Duration longer = pause.plus(pause.dividedBy(4));
        pause = longer.compareTo(POLL_MAX) > 0 ? POLL_MAX : longer;
      }
      waiting.computeIfPresent("certificate " + name, (k, v) -> v + " (asking again)");
    }
  }

  private void done(String name) {
    certificatesDone.add(name);
    waiting.remove("certificate " + name);
  }

  private ChainCheck check(String name, boolean retired) {
    try {
      return steps.checkChain(name, retired);
    } catch (ActivityFailure failure) {
      String reason = failure.getCause() instanceof ApplicationFailure app ? app.getOriginalMessage()
          : failure.getMessage();
      return new ChainCheck(name, null, false, reason);
    }
  }

  private String every() {
    Duration retry = request.guestRetry();
    return retry.toSeconds() % 60 == 0 ? retry.toMinutes() + " min" : retry.toSeconds() + " s";
  }

  private Instant now() {
    return Instant.ofEpochMilli(Workflow.currentTimeMillis());
  }

  @Override
  public RotationProgress progress() {
    RotationTarget to = request == null ? RotationTarget.NEXT : request.to();
    if (plan == null) {
      return RotationProgress.planning(to);
    }
    List<String> why = new ArrayList<>();
    waiting.forEach((what, reason) -> why.add(what + ": " + reason));
    List<String> asked = new ArrayList<>(inFlight);
    asked.addAll(queued);
    for (String guest : asked) {
      if (!waiting.containsKey("guest " + guest) && Workflow.currentTimeMillis() - startedAt.getOrDefault(guest,
          Workflow.currentTimeMillis()) >= Math.min(SLOW_GUEST.toMillis(), request.guestWait().toMillis())) {
        why.add("guest " + guest + (queued.contains(guest) ? ": waiting for one of " + request.concurrency()
            + " onboarding slots" : ": not answering yet (onboarding waits for it, then it is retried every "
            + every() + ")"));
      }
    }
    int guestsTotal = plan.rootChanges() ? plan.guests().size() : 0;
    return new RotationProgress(to, phase, plan.fromCa(), plan.toCa(), plan.fromRoot(), plan.toRoot(),
        Math.min(guestsDone.size(), guestsTotal), guestsTotal, certificatesDone.size(), plan.certificates().size(),
        why, paused, retireAt, note);
  }

  @Override
  public void pause() {
    paused = true;
  }

  @Override
  public void resume() {
    paused = false;
  }

  @Override
  public void abort() {
    if (!phase.oldRootRetired()) {
      aborted = true;
    }
  }

  @Override
  public void retireNow() {
    retireRequested = true;
  }
}
