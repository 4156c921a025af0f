package ai.thinkheads.phoenix.certs.worker.engine;

import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateWorkflow;
import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateWorkflowInput;
import ai.thinkheads.phoenix.certs.workflows.model.CertificateSpec;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes sure one {@code cert/<name>} workflow runs per certificate: starts it when missing, hands a running one
 * the inventory's current spec (it renews only if the target no longer matches).
 */
public final class CertificateLauncher {

  private static final Logger log = LoggerFactory.getLogger(CertificateLauncher.class);

  private final WorkflowClient client;

  public CertificateLauncher(WorkflowClient client) {
    this.client = client;
  }

  /** True when a new workflow was started, false when a running one was given the spec. */
  public boolean ensureRunning(CertificateSpec spec) {
    CertificateWorkflow workflow = client.newWorkflowStub(CertificateWorkflow.class, WorkflowOptions.newBuilder()
        .setWorkflowId(spec.workflowId())
        .setTaskQueue(CertificateWorkflow.TASK_QUEUE)
        .setStaticSummary(spec.summary())
        .setStaticDetails("Keeps " + spec.name() + " valid on " + spec.target().guestId() + ": "
            + spec.files().cert() + " (issuer " + spec.issuer() + ", key " + spec.key().id() + ")")
        .build());
    try {
      WorkflowClient.start(workflow::run, CertificateWorkflowInput.first(spec));
      log.info("started {}: {}", spec.workflowId(), spec.summary());
      return true;
    } catch (WorkflowExecutionAlreadyStarted running) {
      client.newWorkflowStub(CertificateWorkflow.class, spec.workflowId()).updateSpec(spec);
      log.info("{} already running; sent it the current spec", spec.workflowId());
      return false;
    }
  }
}
