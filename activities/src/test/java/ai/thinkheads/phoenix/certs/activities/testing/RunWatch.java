package ai.thinkheads.phoenix.certs.activities.testing;

import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateStatus;
import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateWorkflow;
import io.temporal.api.enums.v1.EventType;
import io.temporal.client.WorkflowClient;
import java.time.Duration;
import java.util.function.Predicate;

/**
 * Follows a certificate workflow's runs without ever querying one that may be continuing as new: on Temporal's
 * time-skipping test server such a query has the run's last workflow task refused, which leaves that task's lock
 * on time skipping behind, and from then on time no longer skips. A run is asked only once its history shows it
 * waiting (a timer started).
 */
public final class RunWatch {

  private final WorkflowClient client;
  private final String workflowId;

  public RunWatch(WorkflowClient client, String workflowId) {
    this.client = client;
    this.workflowId = workflowId;
  }

  public String runId() {
    return client.newUntypedWorkflowStub(workflowId).describe().getExecution().getRunId();
  }

  /** The status of the first waiting run after {@code previousRun} (null: any run) that passes {@code done}. */
  public CertificateStatus awaitWaiting(String previousRun, Predicate<CertificateStatus> done, Duration limit)
      throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    CertificateStatus last = null;
    while (System.nanoTime() < deadline) {
      String run = runId();
      boolean waiting = !run.equals(previousRun) && client.fetchHistory(workflowId, run).getEvents().stream()
          .anyMatch(e -> e.getEventType() == EventType.EVENT_TYPE_TIMER_STARTED);
      if (waiting) {
        last = client.newWorkflowStub(CertificateWorkflow.class, workflowId).status();
        if (done.test(last)) {
          return last;
        }
      }
      Thread.sleep(200);
    }
    throw new AssertionError(workflowId + ": not reached in " + limit + "; last status " + last);
  }
}
