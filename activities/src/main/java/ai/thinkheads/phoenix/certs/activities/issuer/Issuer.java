package ai.thinkheads.phoenix.certs.activities.issuer;

import java.security.cert.X509Certificate;

/**
 * A certificate authority that signs CSRs. Implementations answer to the {@link #type()} the inventory's
 * {@code ca.type} names ("local", "step-ca"). Thread-safe: activities call it concurrently.
 */
public interface Issuer {

  String type();

  IssuedCertificate issue(IssueRequest request);

  /** The root every certificate from this issuer chains to. */
  X509Certificate root();
}
