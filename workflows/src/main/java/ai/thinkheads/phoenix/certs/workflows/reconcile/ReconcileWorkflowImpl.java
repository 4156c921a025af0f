package ai.thinkheads.phoenix.certs.workflows.reconcile;

import ai.thinkheads.phoenix.certs.workflows.failure.FailureType;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.workflow.Workflow;
import java.time.Duration;

/**
 * One pass; then, when the worker says so (no Temporal Schedule), waits its interval or a reconcileNow signal
 * and continues as new. The interval comes from the worker's configuration through the pass's report, never
 * from the input.
 */
public class ReconcileWorkflowImpl implements ReconcileWorkflow {

  private final ReconcileActivities steps = Workflow.newActivityStub(ReconcileActivities.class,
      ActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofMinutes(10))
          .setHeartbeatTimeout(Duration.ofSeconds(30))
          .setRetryOptions(RetryOptions.newBuilder()
              .setMaximumInterval(Duration.ofMinutes(1))
              .setMaximumAttempts(5)
              .setDoNotRetry(FailureType.nonRetryable())
              .build())
          .setSummary("reconcile the inventory")
          .build());

  private ReconcileReport report = ReconcileReport.empty();
  private boolean now;

  @Override
  public ReconcileReport run(ReconcileRequest request) {
    Workflow.setCurrentDetails("reading the inventory");
    report = steps.reconcile();
    Workflow.setCurrentDetails(report.summary());
    if (report.nextPassIn() == null) {
      return report;
    }
    Workflow.await(report.nextPassIn(), () -> now);
    Workflow.continueAsNew(new ReconcileRequest(now ? "asked" : "timer"));
    return report;
  }

  @Override
  public ReconcileReport lastReport() {
    return report;
  }

  @Override
  public void reconcileNow() {
    now = true;
  }
}
