package ai.thinkheads.phoenix.certs.workflows.status;

import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateStatus;
import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateWorkflow;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionMetadata;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The statuses certificate workflows publish in their memo ({@link CertificateWorkflow#STATUS_MEMO}), read from a
 * client without replaying anything: one visibility list gives every running certificate, with its memo.
 */
public final class StatusMemos {

  static final String RUNNING = "WorkflowType = '" + CertificateWorkflow.TYPE + "' AND ExecutionStatus = 'Running'";

  private StatusMemos() {}

  /**
   * Every running certificate workflow by name, with the status in its memo, or null for a run that has published
   * none (started by an older worker); empty when the server cannot list workflows (Temporal's Java test server,
   * the embedded dev server).
   */
  public static Optional<Map<String, CertificateStatus>> listRunning(WorkflowClient client) {
    Map<String, CertificateStatus> out = new TreeMap<>();
    try {
      client.listExecutions(RUNNING).forEach(execution -> {
        String id = execution.getExecution().getWorkflowId();
        if (id.startsWith("cert/")) {
          out.put(id.substring("cert/".length()), of(execution));
        }
      });
      return Optional.of(out);
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() == Status.Code.UNIMPLEMENTED) {
        return Optional.empty();
      }
      throw e;
    }
  }

  /** The status in an execution's memo (a list entry or a describe); null when it carries none. */
  public static CertificateStatus of(WorkflowExecutionMetadata execution) {
    return (CertificateStatus) execution.getMemo(CertificateWorkflow.STATUS_MEMO, CertificateStatus.class);
  }
}
