package ai.thinkheads.phoenix.certs.workflows.certificate;

/** What {@code inspect} found: the pair on the target, and the inventory's policy for this certificate. */
public record Inspection(TargetState target, CertificatePolicy policy) {

  public CertificateRef ref() {
    return new CertificateRef(policy.name(), policy.digest());
  }
}
