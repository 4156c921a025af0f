package ai.thinkheads.phoenix.certs.workflows.certificate;

import ai.thinkheads.phoenix.certs.workflows.model.CertificateSpec;

/** A run's input: the spec, the status carried over from the previous run, and a pending renewNow request. */
public record CertificateWorkflowInput(CertificateSpec spec, CertificateStatus status, boolean renewRequested) {

  public static CertificateWorkflowInput first(CertificateSpec spec) {
    return new CertificateWorkflowInput(spec, CertificateStatus.initial(spec.name(), spec.target().guestId()), false);
  }
}
