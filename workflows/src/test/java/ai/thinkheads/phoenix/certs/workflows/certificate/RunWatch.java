package ai.thinkheads.phoenix.certs.workflows.certificate;

import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Follows a certificate workflow's runs and asks a run for its status only while it waits: on Temporal's
 * time-skipping test server a query that arrives while a run is continuing as new has that run's last workflow
 * task refused, which leaves the task's lock on time skipping behind, and from then on time no longer skips.
 * So a run is asked only once its history shows a timer started and not fired, and no workflow task open (the
 * idea of activities' testing/RunWatch; this module cannot depend on activities).
 */
final class RunWatch {

  /** A run that waits for its next attempt, and what it says then. */
  record Waiting(String runId, CertificateStatus status) {}

  private static final Duration LIMIT = Duration.ofSeconds(30);

  private final WorkflowClient client;
  private final String workflowId;

  RunWatch(WorkflowClient client, String workflowId) {
    this.client = client;
    this.workflowId = workflowId;
  }

  String runId() {
    return client.newUntypedWorkflowStub(workflowId).describe().getExecution().getRunId();
  }

  /** The first run other than {@code previousRun} (null: any run) that waits, with its status. */
  Waiting awaitWaiting(String previousRun) {
    long deadline = System.nanoTime() + LIMIT.toNanos();
    while (System.nanoTime() < deadline) {
      String run = runId();
      if (!run.equals(previousRun) && waiting(client.fetchHistory(workflowId, run).getEvents())) {
        CertificateStatus status = client.newWorkflowStub(CertificateWorkflow.class, workflowId, Optional.of(run))
            .status();
        // a timer also runs while a step waits for its guest's coordinator: that is not the wait for the next attempt
        if (betweenAttempts(status)) {
          return new Waiting(run, status);
        }
      }
      pause();
    }
    throw new AssertionError(workflowId + ": no run after " + previousRun + " waiting within " + LIMIT);
  }

  private static boolean betweenAttempts(CertificateStatus status) {
    return status.phase().startsWith("waiting until") || status.phase().startsWith("backing off");
  }

  /**
   * Waiting: the run is open, its last workflow task completed (none scheduled since, as a signal would), and a
   * timer it started has neither fired nor been cancelled.
   */
  static boolean waiting(List<HistoryEvent> events) {
    boolean timerPending = false;
    EventType lastTask = null;
    for (HistoryEvent event : events) {
      switch (event.getEventType()) {
        case EVENT_TYPE_TIMER_STARTED -> timerPending = true;
        case EVENT_TYPE_TIMER_FIRED, EVENT_TYPE_TIMER_CANCELED -> timerPending = false;
        case EVENT_TYPE_WORKFLOW_TASK_SCHEDULED, EVENT_TYPE_WORKFLOW_TASK_STARTED,
            EVENT_TYPE_WORKFLOW_TASK_COMPLETED, EVENT_TYPE_WORKFLOW_TASK_FAILED,
            EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT -> lastTask = event.getEventType();
        case EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW, EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED,
            EVENT_TYPE_WORKFLOW_EXECUTION_FAILED, EVENT_TYPE_WORKFLOW_EXECUTION_TERMINATED,
            EVENT_TYPE_WORKFLOW_EXECUTION_TIMED_OUT, EVENT_TYPE_WORKFLOW_EXECUTION_CANCELED -> {
          return false;
        }
        default -> {}
      }
    }
    return timerPending && lastTask == EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED;
  }

  private static void pause() {
    try {
      Thread.sleep(20);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }
}
