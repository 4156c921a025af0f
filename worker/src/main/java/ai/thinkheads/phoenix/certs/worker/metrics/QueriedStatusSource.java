package ai.thinkheads.phoenix.certs.worker.metrics;

import ai.thinkheads.phoenix.certs.worker.engine.StatusBoard;
import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateStatus;
import java.util.List;

/**
 * Statuses asked of every certificate workflow by query, as the dev table asks them ({@link StatusBoard}): one
 * query each, all at once, a slow one keeping its last answer. Replaced by the status projection once there is one.
 */
public final class QueriedStatusSource implements CertificateStatusSource {

  private final StatusBoard board;

  public QueriedStatusSource(StatusBoard board) {
    this.board = board;
  }

  @Override
  public List<CertificateStatus> statuses() {
    return board.statuses();
  }
}
