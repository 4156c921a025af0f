package ai.thinkheads.phoenix.certs.starter;

import ai.thinkheads.phoenix.certs.workflows.certificate.CertificatePolicy;
import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateRun;
import ai.thinkheads.phoenix.certs.workflows.certificate.Inspection;
import ai.thinkheads.phoenix.certs.workflows.certificate.StagedCertificate;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.common.v1.Payloads;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.common.converter.DataConverter;
import io.temporal.common.converter.GlobalDataConverter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The recent runs of a {@code cert/<name>} workflow, read from Temporal's history (each renewal cycle is one
 * run, chained by continue-as-new): when each ran, the input it started with (the status carried over), the
 * inventory's policy its inspection read, the certificate it issued, and how it ended. Public data only: that is all history ever holds.
 */
final class CertificateRuns {

  /** One run. {@code issued} is null when the run issued nothing; {@code ended} null while it runs. */
  record Run(String runId, Instant started, Instant ended, String end, CertificateRun input,
      CertificatePolicy policy, StagedCertificate issued) {}

  private static final DataConverter CONVERTER = GlobalDataConverter.get();

  private CertificateRuns() {}

  /**
   * Newest first from {@code currentRunId}, at most {@code max}; stops early where the server no longer keeps
   * older runs.
   */
  static List<Run> recent(WorkflowClient client, String workflowId, String currentRunId, int max) {
    List<Run> runs = new ArrayList<>();
    String runId = currentRunId;
    while (runs.size() < max) {
      List<HistoryEvent> events;
      try {
        events = client.fetchHistory(workflowId, runId).getEvents();
      } catch (StatusRuntimeException e) {
        if (e.getStatus().getCode() == Status.Code.NOT_FOUND && !runs.isEmpty()) {
          break; // past the namespace's retention
        }
        throw e;
      }
      Run run = read(runId, events);
      runs.add(run);
      var started = events.get(0).getWorkflowExecutionStartedEventAttributes();
      runId = started.getContinuedExecutionRunId();
      if (runId.isEmpty()) {
        break;
      }
    }
    return runs;
  }

  static Run read(String runId, List<HistoryEvent> events) {
    HistoryEvent first = events.get(0);
    var started = first.getWorkflowExecutionStartedEventAttributes();
    CertificateRun input = decode(started.getInput(), CertificateRun.class);
    CertificatePolicy policy = null;
    Map<Long, String> activityTypes = new HashMap<>();
    StagedCertificate issued = null;
    for (HistoryEvent event : events) {
      switch (event.getEventType()) {
        case EVENT_TYPE_ACTIVITY_TASK_SCHEDULED -> activityTypes.put(event.getEventId(),
            event.getActivityTaskScheduledEventAttributes().getActivityType().getName());
        case EVENT_TYPE_ACTIVITY_TASK_COMPLETED -> {
          var completed = event.getActivityTaskCompletedEventAttributes();
          String type = activityTypes.get(completed.getScheduledEventId());
          if ("IssueAndStage".equalsIgnoreCase(type)) {
            issued = decode(completed.getResult(), StagedCertificate.class);
          } else if ("Inspect".equalsIgnoreCase(type)) {
            Inspection inspection = decode(completed.getResult(), Inspection.class);
            policy = inspection == null ? null : inspection.policy();
          }
        }
        default -> { }
      }
    }
    HistoryEvent last = events.get(events.size() - 1);
    String end = closing(last);
    return new Run(runId, instant(first), end == null ? null : instant(last), end, input, policy, issued);
  }

  private static String closing(HistoryEvent last) {
    return switch (last.getEventType()) {
      case EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW -> "continued";
      case EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED -> "completed";
      case EVENT_TYPE_WORKFLOW_EXECUTION_FAILED -> "failed";
      case EVENT_TYPE_WORKFLOW_EXECUTION_TERMINATED -> "terminated";
      case EVENT_TYPE_WORKFLOW_EXECUTION_CANCELED -> "canceled";
      case EVENT_TYPE_WORKFLOW_EXECUTION_TIMED_OUT -> "timed out";
      default -> null;
    };
  }

  private static Instant instant(HistoryEvent event) {
    return Instant.ofEpochSecond(event.getEventTime().getSeconds(), event.getEventTime().getNanos());
  }

  private static <T> T decode(Payloads payloads, Class<T> type) {
    if (payloads == null || payloads.getPayloadsCount() == 0) {
      return null;
    }
    try {
      return CONVERTER.fromPayloads(0, Optional.of(payloads), type, type);
    } catch (RuntimeException unreadable) {
      return null; // written by another version of the records: describe shows what it can
    }
  }
}
