package ai.thinkheads.phoenix.certs.worker.status;

import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateStatus;
import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateWorkflow;
import ai.thinkheads.phoenix.certs.workflows.model.CertificateSpec;
import ai.thinkheads.phoenix.certs.workflows.status.PromptQuery;
import ai.thinkheads.phoenix.certs.workflows.status.StatusMemos;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionDescription;
import io.temporal.client.WorkflowNotFoundException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fills a {@link StatusProjection} once, at start, from what the workflows published before this worker ran:
 * one visibility list where the server has one, else one describe per certificate (it returns the memo and
 * replays nothing). Only a run that never published (started by a worker before status memos) is asked by query,
 * once. The embedded dev server starts empty: there is nothing to read.
 */
public final class StatusSeed {

  private static final Logger log = LoggerFactory.getLogger(StatusSeed.class);
  static final int PARALLEL = 8;

  private StatusSeed() {}

  /** Returns how many statuses it read. */
  public static int fill(StatusProjection projection, WorkflowClient client, List<CertificateSpec> certificates) {
    long started = System.nanoTime();
    Optional<Map<String, CertificateStatus>> listed = StatusMemos.listRunning(client);
    int read = 0;
    if (listed.isPresent()) {
      for (CertificateSpec spec : certificates) {
        if (!listed.get().containsKey(spec.name())) {
          continue; // not running: the reconcile pass starts it
        }
        CertificateStatus status = listed.get().get(spec.name());
        read += projection.seed(status != null ? status : query(client, spec)) ? 1 : 0;
      }
    } else {
      ExecutorService pool = Executors.newFixedThreadPool(PARALLEL, r -> {
        Thread thread = new Thread(r, "status-seed");
        thread.setDaemon(true);
        return thread;
      });
      try {
        List<Future<CertificateStatus>> asked = new ArrayList<>();
        for (CertificateSpec spec : certificates) {
          asked.add(pool.submit(() -> describe(client, spec)));
        }
        for (Future<CertificateStatus> answer : asked) {
          try {
            read += projection.seed(answer.get()) ? 1 : 0;
          } catch (Exception e) {
            log.debug("status of a certificate not read at start: {}", e.toString());
          }
        }
      } finally {
        pool.shutdownNow();
      }
    }
    log.info("status: read {} of {} certificates' published status in {} ms ({})", read, certificates.size(),
        (System.nanoTime() - started) / 1_000_000, listed.isPresent() ? "one visibility list" : "one describe each");
    return read;
  }

  /** The memo of the running run; null when none runs (the reconcile pass starts it). */
  private static CertificateStatus describe(WorkflowClient client, CertificateSpec spec) {
    try {
      WorkflowExecutionDescription description = client.newUntypedWorkflowStub(spec.workflowId()).describe();
      if (description.getStatus() != WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING) {
        return null;
      }
      CertificateStatus status = StatusMemos.of(description);
      return status != null ? status : query(client, spec);
    } catch (WorkflowNotFoundException absent) {
      return null;
    }
  }

  /** A run that has published nothing yet (an older worker's): asked once. */
  private static CertificateStatus query(WorkflowClient client, CertificateSpec spec) {
    try {
      return PromptQuery.answer(client.newWorkflowStub(CertificateWorkflow.class, spec.workflowId())::status);
    } catch (RuntimeException e) {
      return null;
    }
  }
}
