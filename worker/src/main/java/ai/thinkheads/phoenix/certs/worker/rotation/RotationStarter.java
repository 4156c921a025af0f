package ai.thinkheads.phoenix.certs.worker.rotation;

import ai.thinkheads.phoenix.certs.activities.estate.CaPair;
import ai.thinkheads.phoenix.certs.activities.estate.Estate;
import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateWorkflow;
import ai.thinkheads.phoenix.certs.workflows.rotation.RotationPhase;
import ai.thinkheads.phoenix.certs.workflows.rotation.RotationProgress;
import ai.thinkheads.phoenix.certs.workflows.rotation.RotationRequest;
import ai.thinkheads.phoenix.certs.workflows.rotation.RotationTarget;
import ai.thinkheads.phoenix.certs.workflows.rotation.RotationWorkflow;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowOptions;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the rotation an inventory edit asks for: {@code ca:} names a new CA and the old one stays listed as
 * {@code ca.previous}. (A {@code ca.next} waits for {@code phoenix-certs ca rotate --to next}.) Run when the
 * worker starts and after each inventory change; it starts nothing when a rotation of that pair exists.
 */
public final class RotationStarter {

  private static final Logger log = LoggerFactory.getLogger(RotationStarter.class);

  private RotationStarter() {}

  public static void ensure(WorkflowClient client, Estate inventory) {
    Optional<CaPair> pair = inventory.caPair();
    if (pair.isEmpty() || pair.get().target() != RotationTarget.CURRENT) {
      return;
    }
    try {
      Optional<RotationProgress> existing = RotationWatch.query(client);
      if (existing.isPresent() && pair.get().fromId().equals(existing.get().fromCa())
          && pair.get().toId().equals(existing.get().toCa())) {
        return;
      }
      if (existing.isPresent() && existing.get().phase() == RotationPhase.DONE) {
        // a finished rotation of another pair waits only for the inventory to drop it: it has
        client.newUntypedWorkflowStub(RotationWorkflow.WORKFLOW_ID).terminate("the inventory names another "
            + "rotation (ca.previous)");
      }
      RotationWorkflow rotation = client.newWorkflowStub(RotationWorkflow.class, WorkflowOptions.newBuilder()
          .setWorkflowId(RotationWorkflow.WORKFLOW_ID).setTaskQueue(CertificateWorkflow.TASK_QUEUE)
          .setStaticSummary("Rotate the CA: the inventory names ca.previous").build());
      WorkflowClient.start(rotation::rotate, new RotationRequest(RotationTarget.CURRENT,
          "the inventory names ca.previous", null, false, null));
      log.info("started ca/rotation: the inventory names a new ca: and lists the old one as ca.previous");
    } catch (WorkflowExecutionAlreadyStarted running) {
      log.warn("the inventory names a new CA (ca.previous), but ca/rotation is running for another pair; "
          + "phoenix-certs ca status");
    } catch (RuntimeException e) {
      log.warn("cannot start the CA rotation the inventory asks for: {}", e.toString());
    }
  }
}
