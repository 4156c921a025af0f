package ai.thinkheads.phoenix.certs.worker.engine;

import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateRun;
import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateWorkflow;
import ai.thinkheads.phoenix.certs.activities.coordination.Coordinators;
import ai.thinkheads.phoenix.certs.workflows.model.CertificateSpec;
import ai.thinkheads.phoenix.certs.workflows.model.SearchAttributes;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Starts, tells and stops {@code cert/<name>} workflows; the reconcile pass acts through it. */
public final class CertificateLauncher {

  private static final Logger log = LoggerFactory.getLogger(CertificateLauncher.class);

  private final WorkflowClient client;
  private final String taskQueue;
  private final boolean searchAttributes;

  /** @param searchAttributes whether CertName and GuestId are registered on the server (they are set at start) */
  public CertificateLauncher(WorkflowClient client, String taskQueue, boolean searchAttributes) {
    this.client = client;
    this.taskQueue = taskQueue;
    this.searchAttributes = searchAttributes;
  }

  /** The running execution of {@code cert/<name>}, with the inventory digest it last read; null when none runs. */
  public LegacyRuns.Running running(String name) {
    return LegacyRuns.running(client, CertificateWorkflow.workflowIdFor(name), CertificateWorkflow.DIGEST_MEMO);
  }

  /** Terminates a run of another type ({@link LegacyRuns}) and starts today's in its place. */
  public void replace(CertificateSpec spec, String type) {
    LegacyRuns.terminate(client, spec.workflowId(), type);
    start(spec);
  }

  /** Starts {@code cert/<name>}; false when it runs already. */
  public boolean start(CertificateSpec spec) {
    WorkflowOptions.Builder options = WorkflowOptions.newBuilder();
    if (searchAttributes) {
      options.setTypedSearchAttributes(io.temporal.common.SearchAttributes.newBuilder()
          .set(SearchAttributes.CERT_NAME, spec.name())
          .set(SearchAttributes.GUEST_ID, spec.target().guestId())
          .build());
    }
    CertificateWorkflow workflow = client.newWorkflowStub(CertificateWorkflow.class, options
        .setWorkflowId(spec.workflowId())
        .setTaskQueue(taskQueue)
        .setStaticSummary(spec.summary())
        .setStaticDetails("Keeps " + spec.name() + " valid on " + spec.target().guestId() + ": "
            + spec.files().cert() + " (issuer " + spec.issuer() + ", key " + spec.key().id() + ")")
        .build());
    try {
      WorkflowClient.start(workflow::run, CertificateRun.first(spec.name()));
      log.info("started {}: {}", spec.workflowId(), spec.summary());
      return true;
    } catch (WorkflowExecutionAlreadyStarted running) {
      return false;
    }
  }

  /** Starts the coordinator of a guest's pairs and reloads ({@code pairs/<guest>}) unless it runs. */
  public boolean startCoordinator(String guestId) {
    return Coordinators.start(client, taskQueue, guestId);
  }

  /** Tells a running workflow that its inventory entry changed; it looks the certificate up again. */
  public void tellChanged(String name) {
    try {
      client.newWorkflowStub(CertificateWorkflow.class, CertificateWorkflow.workflowIdFor(name)).inventoryChanged();
      log.info("{}: the inventory entry changed; told the workflow", CertificateWorkflow.workflowIdFor(name));
    } catch (WorkflowNotFoundException gone) {
      log.debug("{} was not running", name);
    }
  }

  /** Stops the workflow of a certificate the inventory does not list. Its files stay where they are. */
  public void retire(String name, String reason) {
    String workflowId = CertificateWorkflow.workflowIdFor(name);
    try {
      client.newUntypedWorkflowStub(workflowId).terminate(reason);
      log.info("{}: {}; stopped (its files stay on the target)", workflowId, reason);
    } catch (WorkflowNotFoundException alreadyGone) {
      log.debug("{} was not running", workflowId);
    }
  }
}
