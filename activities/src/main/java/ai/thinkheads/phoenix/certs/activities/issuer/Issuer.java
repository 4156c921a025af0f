package ai.thinkheads.phoenix.certs.activities.issuer;

import java.security.cert.X509Certificate;

/**
 * A certificate authority that signs CSRs. Implementations answer to the {@link #type()} the inventory's
 * {@code ca.type} names ("local", "step-ca", "acme"), and their {@link IssuerPlugin} makes them from the
 * inventory's settings. Thread-safe: activities call it concurrently.
 */
public interface Issuer {

  String type();

  IssuedCertificate issue(IssueRequest request);

  /** The root every certificate from this issuer chains to. */
  X509Certificate root();

  /**
   * A URL of the CA that a guest trusting {@link #root()} can reach over TLS, to prove that trust with a real call
   * (onboarding does); null when there is none.
   */
  default String healthUrl() {
    return null;
  }

  /**
   * Issues for {@code request}, given the pair the target holds now (null when it holds none or an unusable
   * one). Issuers that can renew from the current certificate (step-ca over mTLS) override this; the rest sign
   * afresh.
   */
  default IssuedCertificate reissue(IssueRequest request, HeldCertificate current) {
    return issue(request);
  }

  /** Renews {@code current} keeping its key and names, authenticated by the certificate itself. */
  default IssuedCertificate renew(HeldCertificate current) {
    throw new UnsupportedOperationException("issuer type '" + type() + "' cannot renew a certificate");
  }

  /** Revokes {@code certificate} so that the CA refuses to renew it. Revoking twice is not an error. */
  default void revoke(X509Certificate certificate, RevocationReason reason) {
    throw new UnsupportedOperationException("issuer type '" + type() + "' cannot revoke a certificate");
  }
}
