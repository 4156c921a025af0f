package ai.thinkheads.phoenix.certs.workflows.reconcile;

import ai.thinkheads.phoenix.certs.workflows.model.CertificateSpec;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** One pass, or a timer loop of passes chained by continue-as-new (see {@link ReconcileInput}). */
public class ReconcileWorkflowImpl implements ReconcileWorkflow {

  private final ReconcileActivities steps = Workflow.newActivityStub(ReconcileActivities.class,
      ActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofMinutes(1))
          .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(5).setDoNotRetry("InvalidInventory").build())
          .setSummary("reconcile inventory")
          .build());

  private ReconcileReport report = ReconcileReport.empty();
  private boolean now;

  @Override
  public ReconcileReport run(ReconcileInput input) {
    List<String> managed = input.managed();
    try {
      managed = pass(input.managed());
    } catch (ActivityFailure failure) {
      String error = failure.getCause() instanceof ApplicationFailure app ? app.getOriginalMessage()
          : failure.getMessage();
      report = new ReconcileReport(List.of(), List.of(), List.of(), 0, error);
    }
    if (input.interval() == null) {
      return report;
    }
    Workflow.setCurrentDetails("next pass in " + input.interval());
    Workflow.await(input.interval(), () -> now);
    Workflow.continueAsNew(new ReconcileInput(input.interval(), managed));
    return report;
  }

  private List<String> pass(List<String> previouslyManaged) {
    Workflow.setCurrentDetails("reading the inventory");
    List<CertificateSpec> desired = steps.desired();
    List<String> listed = steps.running();
    Set<String> running = new TreeSet<>(listed != null ? listed : previouslyManaged);
    List<String> started = new ArrayList<>();
    List<String> updated = new ArrayList<>();
    List<String> stopped = new ArrayList<>();
    Set<String> wanted = new TreeSet<>();
    for (CertificateSpec spec : desired) {
      wanted.add(spec.name());
      if (steps.ensureStarted(spec)) {
        started.add(spec.name());
      } else if (steps.updateIfChanged(spec)) {
        updated.add(spec.name());
      }
    }
    for (String name : running) {
      if (!wanted.contains(name)) {
        steps.retire(name);
        stopped.add(name);
      }
    }
    report = new ReconcileReport(started, updated, stopped, desired.size() - started.size() - updated.size(), null);
    Workflow.setCurrentDetails("started " + started.size() + ", updated " + updated.size() + ", stopped "
        + stopped.size());
    return new ArrayList<>(wanted);
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
