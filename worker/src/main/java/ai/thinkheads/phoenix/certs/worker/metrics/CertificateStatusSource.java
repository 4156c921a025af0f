package ai.thinkheads.phoenix.certs.worker.metrics;

import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateStatus;
import java.util.List;

/**
 * Where the metrics read each certificate's status: what the certificate workflows hold (so the values are the
 * same after a worker restart). Called from the metrics' refresh timer, never from a scrape.
 */
public interface CertificateStatusSource {

  /** One status per certificate of the inventory; a certificate not heard from yet has a status without dates. */
  List<CertificateStatus> statuses();
}
