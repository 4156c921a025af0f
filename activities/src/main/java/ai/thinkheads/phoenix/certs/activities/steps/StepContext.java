package ai.thinkheads.phoenix.certs.activities.steps;

import ai.thinkheads.phoenix.certs.activities.transport.Transport;
import ai.thinkheads.phoenix.certs.workflows.model.CertificateSpec;
import ai.thinkheads.phoenix.certs.workflows.model.StepSpec;

/** What a pluggable step gets to work with: its own spec, the certificate's spec, and the target's transport. */
public record StepContext(String stepName, StepSpec step, CertificateSpec certificate, Transport transport) {

  public String where() {
    return stepName + " of " + certificate.name() + " on " + transport.describe();
  }
}
