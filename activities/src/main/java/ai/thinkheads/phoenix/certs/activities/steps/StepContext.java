package ai.thinkheads.phoenix.certs.activities.steps;

import ai.thinkheads.phoenix.certs.activities.transport.Transport;
import ai.thinkheads.phoenix.certs.workflows.model.CertificateSpec;
import ai.thinkheads.phoenix.certs.workflows.model.StepSpec;
import java.security.cert.X509Certificate;
import java.util.function.Supplier;

/**
 * What a pluggable step gets to work with: its own spec, the certificate's spec, the target's transport, and the
 * issuer's root (looked up only by the steps that need it).
 */
public record StepContext(String stepName, StepSpec step, CertificateSpec certificate, Transport transport,
    Supplier<X509Certificate> rootSupplier) {

  public X509Certificate root() {
    return rootSupplier.get();
  }

  public String where() {
    return stepName + " of " + certificate.name() + " on " + transport.describe();
  }
}
