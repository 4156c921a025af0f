package ai.thinkheads.phoenix.certs.workflows.audit;

import ai.thinkheads.phoenix.certs.workflows.failure.FailureType;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Plan, gather every task with at most {@code concurrency} in flight, compute findings and the diff, publish.
 * A task that fails after its retries becomes an "unreachable" fact, so one dead guest never hides the rest.
 * Then, when the worker says so (no Temporal Schedule), waits its interval or {@code auditNow} and continues as
 * new.
 */
public class AuditWorkflowImpl implements AuditWorkflow {

  private static final RetryOptions RETRY = RetryOptions.newBuilder()
      .setInitialInterval(Duration.ofSeconds(2))
      .setMaximumInterval(Duration.ofSeconds(30))
      .setMaximumAttempts(3)
      .setDoNotRetry(FailureType.nonRetryable())
      .build();

  private final AuditActivities local = Workflow.newActivityStub(AuditActivities.class,
      ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofMinutes(2)).setRetryOptions(RETRY)
          .setSummary("audit: plan or publish").build());

  private final AuditActivities gather = Workflow.newActivityStub(AuditActivities.class,
      ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofMinutes(5))
          .setHeartbeatTimeout(Duration.ofSeconds(30)).setRetryOptions(RETRY).setSummary("audit: gather facts")
          .build());

  private AuditReport latest;
  private long completed;
  private boolean now;

  @Override
  public AuditReport run(AuditRequest request) {
    completed = request == null ? 0 : request.completed();
    if (request != null && AuditRequest.TRUST_CHECK.equals(request.reason())) {
      return trustCheck();
    }
    if (request != null && AuditRequest.WORKER_START.equals(request.reason())) {
      // The loop a worker starts waits its interval first: audits come daily or on demand, not per restart.
      AuditPlan plan = local.plan();
      if (plan.nextRunIn() != null) {
        Workflow.setCurrentDetails("next audit in " + plan.nextRunIn() + " or on demand");
        Workflow.await(plan.nextRunIn(), () -> now);
        Workflow.continueAsNew(new AuditRequest(now ? "asked" : "timer", completed));
        return null;
      }
    }
    Workflow.setCurrentDetails("planning");
    Instant started = Instant.ofEpochMilli(Workflow.currentTimeMillis());
    AuditPlan plan = local.plan();
    List<AuditFacts> parts = gatherAll(plan);
    AuditFacts facts = AuditFacts.merge("estate", parts);
    Instant finished = Instant.ofEpochMilli(Workflow.currentTimeMillis());
    List<Finding> findings = Findings.of(facts, plan.estate().pinnedFingerprint(), finished, plan.warnBefore());
    latest = new AuditReport(AuditReport.SCHEMA_VERSION, completed + 1, request == null ? null : request.reason(),
        started, finished, plan.estate(), facts, findings, AuditDiff.between(plan.previous(), findings));
    local.publish(latest);
    onboardGuestsWithoutTheRoot(findings, plan.estate());
    completed++;
    Workflow.setCurrentDetails(summary(latest));
    if (plan.nextRunIn() == null) {
      return latest;
    }
    // an auditNow that came during this audit asks for another at once
    Workflow.await(plan.nextRunIn(), () -> now);
    Workflow.continueAsNew(new AuditRequest(now ? "asked" : "timer", completed));
    return latest;
  }

  /**
   * At worker start (the daily loop waits its interval first): only the trust source, on every listed guest but
   * the worker's own machine, and
   * each guest found lacking the root is onboarded: the Proxmox host, a guest running since before the worker.
   * The report is returned, not published: it is not an audit of the estate, and the next audit's diff compares
   * with the last full one.
   */
  private AuditReport trustCheck() {
    Workflow.setCurrentDetails("planning the trust check");
    Instant started = Instant.ofEpochMilli(Workflow.currentTimeMillis());
    AuditPlan full = local.plan();
    List<String> ownMachine = ownMachine(full.estate());
    List<String> tasks = full.tasks().stream().filter(t -> t.startsWith("guest:")
            && !ownMachine.contains(t.substring("guest:".length())))
        .map(t -> "trust:" + t.substring("guest:".length())).toList();
    AuditPlan plan = new AuditPlan(tasks, full.concurrency(), full.estate(), null, full.warnBefore(), null);
    AuditFacts facts = AuditFacts.merge("trust", gatherAll(plan));
    Instant finished = Instant.ofEpochMilli(Workflow.currentTimeMillis());
    List<Finding> findings = Findings.of(facts, plan.estate().pinnedFingerprint(), finished, plan.warnBefore());
    latest = new AuditReport(AuditReport.SCHEMA_VERSION, 0, AuditRequest.TRUST_CHECK, started, finished,
        plan.estate(), facts, findings, AuditDiff.between(null, findings));
    onboardGuestsWithoutTheRoot(findings, plan.estate());
    Workflow.setCurrentDetails("trust check: " + findings.stream().filter(f -> "root-missing".equals(f.code()))
        .map(Finding::component).distinct().count() + " guests lacked the root and were onboarded; "
        + facts.trustStores().size() + " trust stores read");
    return latest;
  }

  /**
   * Trust converges on every audit, not only on guest events: each guest found without the root is onboarded
   * (the Proxmox host, a guest running since before the worker, a store emptied by hand). A failure to start it
   * is left to the next audit, which finds the guest again.
   */
  private void onboardGuestsWithoutTheRoot(List<Finding> findings, EstateOutline estate) {
    List<String> ownMachine = ownMachine(estate);
    findings.stream().filter(f -> "root-missing".equals(f.code())).map(Finding::component).distinct()
        .filter(guest -> !ownMachine.contains(guest))
        .forEach(guest -> {
          try {
            Workflow.setCurrentDetails("onboarding " + guest + " (its trust store lacks the root)");
            local.onboard(guest);
          } catch (ActivityFailure notStarted) {
            Workflow.getLogger(AuditWorkflowImpl.class).warn("audit: could not onboard {}: {}", guest,
                notStarted.getCause() == null ? notStarted.getMessage() : notStarted.getCause().getMessage());
          }
        });
  }

  /**
   * The worker's own machine ({@code kind: local}): reported like any guest, never onboarded on its own, since
   * that rebuilds the system trust store of the machine the worker (or a dev stack) runs on. {@code phoenix-certs
   * onboard} does it when asked.
   */
  private static List<String> ownMachine(EstateOutline estate) {
    return estate.guests().stream().filter(g -> "local".equals(g.kind())).map(EstateOutline.GuestOutline::id)
        .toList();
  }

  /** Every task, at most {@code plan.concurrency()} at once, results in the plan's order. */
  private List<AuditFacts> gatherAll(AuditPlan plan) {
    int limit = Math.max(1, plan.concurrency());
    Map<String, Promise<AuditFacts>> running = new LinkedHashMap<>();
    Map<String, AuditFacts> done = new LinkedHashMap<>();
    for (String task : plan.tasks()) {
      while (running.size() >= limit) {
        Promise.anyOf(running.values()).get();
        collect(running, done);
      }
      Workflow.setCurrentDetails("gathering " + task + " (" + done.size() + "/" + plan.tasks().size() + " done)");
      running.put(task, Async.function(gather::gather, task));
    }
    while (!running.isEmpty()) {
      Promise.anyOf(running.values()).get();
      collect(running, done);
    }
    List<AuditFacts> ordered = new ArrayList<>();
    plan.tasks().forEach(t -> ordered.add(done.get(t)));
    return ordered;
  }

  private static void collect(Map<String, Promise<AuditFacts>> running, Map<String, AuditFacts> done) {
    for (var it = running.entrySet().iterator(); it.hasNext(); ) {
      var entry = it.next();
      if (!entry.getValue().isCompleted()) {
        continue;
      }
      it.remove();
      RuntimeException failure = entry.getValue().getFailure();
      done.put(entry.getKey(), failure == null ? entry.getValue().get() : unreachable(entry.getKey(), failure));
    }
  }

  private static AuditFacts unreachable(String task, RuntimeException failure) {
    Throwable cause = failure instanceof ActivityFailure af && af.getCause() != null ? af.getCause() : failure;
    String message = cause instanceof io.temporal.failure.ApplicationFailure app ? app.getOriginalMessage()
        : cause.getMessage();
    String component = task.startsWith("guest:") ? task.substring("guest:".length())
        : task.startsWith("trust:") ? task.substring("trust:".length()) : task;
    return new AuditFacts(task, List.of(), List.of(), List.of(), List.of(new Unreachable(component, "audit task "
        + task, message)));
  }

  static String summary(AuditReport report) {
    return "audit " + report.sequence() + ": " + report.count(Severity.CRITICAL) + " critical, "
        + report.count(Severity.WARNING) + " warnings, " + report.count(Severity.INFO) + " notes; "
        + report.facts().certificates().size() + " certificates";
  }

  @Override
  public AuditReport latest() {
    return latest;
  }

  @Override
  public long completed() {
    return completed;
  }

  @Override
  public void auditNow() {
    now = true;
  }
}
