package ai.thinkheads.phoenix.certs.worker.metrics;

import ai.thinkheads.phoenix.certs.worker.status.StatusProjection;
import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateStatus;
import java.util.List;

/**
 * The statuses the certificate workflows published, as the worker's {@link StatusProjection} holds them: read from
 * memory, no call to Temporal, and filled from the workflows' memos at start, so a restarted worker has them.
 */
public final class ProjectedStatusSource implements CertificateStatusSource {

  private final StatusProjection projection;

  public ProjectedStatusSource(StatusProjection projection) {
    this.projection = projection;
  }

  @Override
  public List<CertificateStatus> statuses() {
    return projection.all();
  }
}
