package ai.thinkheads.phoenix.certs.worker.engine;

import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateWorkflow;
import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateWorkflowInput;
import ai.thinkheads.phoenix.certs.workflows.model.CertificateSpec;
import ai.thinkheads.phoenix.certs.workflows.model.SearchAttributes;
import ai.thinkheads.phoenix.certs.workflows.status.PromptQuery;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Starts, updates and stops {@code cert/<name>} workflows; the reconcile activities act through it. */
public final class CertificateLauncher {

  private static final Logger log = LoggerFactory.getLogger(CertificateLauncher.class);

  private final WorkflowClient client;
  private final boolean searchAttributes;

  /** @param searchAttributes whether CertName and GuestId are registered on the server (they are set at start) */
  public CertificateLauncher(WorkflowClient client, boolean searchAttributes) {
    this.client = client;
    this.searchAttributes = searchAttributes;
  }

  /** True when a new workflow was started, false when one already runs. */
  public boolean startIfMissing(CertificateSpec spec) {
    WorkflowOptions.Builder options = WorkflowOptions.newBuilder();
    if (searchAttributes) {
      options.setTypedSearchAttributes(io.temporal.common.SearchAttributes.newBuilder()
          .set(SearchAttributes.CERT_NAME, spec.name())
          .set(SearchAttributes.GUEST_ID, spec.target().guestId())
          .build());
    }
    CertificateWorkflow workflow = client.newWorkflowStub(CertificateWorkflow.class, options
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
      return false;
    }
  }

  /** Hands a running workflow the inventory's spec when it differs from the one it works to. */
  public boolean updateIfChanged(CertificateSpec spec) {
    CertificateWorkflow workflow = client.newWorkflowStub(CertificateWorkflow.class, spec.workflowId());
    if (spec.equals(PromptQuery.answer(workflow::spec))) {
      return false;
    }
    workflow.updateSpec(spec);
    log.info("{}: the inventory changed; sent the new spec", spec.workflowId());
    return true;
  }

  /** Stops the workflow of a certificate no longer in the inventory. Its files stay where they are. */
  public void retire(String name) {
    WorkflowStub stub = client.newUntypedWorkflowStub(CertificateSpec.workflowIdFor(name));
    try {
      stub.terminate("removed from the inventory");
      log.info("{}: removed from the inventory; stopped (its files stay on the target)",
          CertificateSpec.workflowIdFor(name));
    } catch (io.temporal.client.WorkflowNotFoundException alreadyGone) {
      log.debug("{} was not running", name);
    }
  }
}
