package ai.thinkheads.phoenix.certs.activities.coordination;

import ai.thinkheads.phoenix.certs.activities.estate.Authority;
import ai.thinkheads.phoenix.certs.workflows.coordination.CoordinatorActivities;
import ai.thinkheads.phoenix.certs.workflows.model.CertificateSpec;
import io.temporal.client.WorkflowClient;

/** Starts a certificate's guest coordinator when the certificate finds it missing (stopped by hand, say). */
public final class CoordinatorActivitiesImpl implements CoordinatorActivities {

  private final WorkflowClient client;
  private final String taskQueue;
  private final Authority authority;

  public CoordinatorActivitiesImpl(WorkflowClient client, String taskQueue, Authority authority) {
    this.client = client;
    this.taskQueue = taskQueue;
    this.authority = authority;
  }

  @Override
  public void ensureCoordinator(String name) {
    CertificateSpec spec = authority.certificate(authority.estate(), name);
    Coordinators.start(client, taskQueue, spec.target().guestId());
  }
}
