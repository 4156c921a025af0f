package ai.thinkheads.phoenix.certs.activities.testing;

import ai.thinkheads.phoenix.certs.activities.coordination.CoordinatorActivitiesImpl;
import ai.thinkheads.phoenix.certs.activities.estate.Authority;
import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateWorkflowImpl;
import ai.thinkheads.phoenix.certs.workflows.coordination.GuestPairsWorkflowImpl;
import io.temporal.client.WorkflowClient;
import io.temporal.worker.Worker;
import java.util.Arrays;

/** What a test worker needs to run certificate workflows the way the production worker does. */
public final class CertificateWorkers {

  private CertificateWorkers() {}

  /**
   * The certificate workflow and its guests' coordinator ({@code pairs/<guest>}, which the first certificate that
   * needs it starts through the worker's coordinator activity), then {@code activities}.
   */
  public static void register(Worker worker, WorkflowClient client, Authority authority, Object... activities) {
    worker.registerWorkflowImplementationTypes(CertificateWorkflowImpl.class, GuestPairsWorkflowImpl.class);
    Object[] all = Arrays.copyOf(activities, activities.length + 1);
    all[activities.length] = new CoordinatorActivitiesImpl(client, worker.getTaskQueue(), authority);
    worker.registerActivitiesImplementations(all);
  }
}
