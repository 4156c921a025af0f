package ai.thinkheads.phoenix.certs.activities.issuer;

import java.security.cert.X509Certificate;

/**
 * An issuer whose signing calls (issue, reissue, renew, revoke) take their turn at an {@link IssuanceLimiter}:
 * a renewal storm (a big inventory's first start, a rotation, the end of a CA outage) reaches the CA at the
 * configured rate and concurrency, and a busy CA slows it down instead of failing certificates.
 */
public final class LimitedIssuer implements Issuer {

  private final Issuer issuer;
  private final IssuanceLimiter limiter;

  public LimitedIssuer(Issuer issuer, IssuanceLimiter limiter) {
    this.issuer = issuer;
    this.limiter = limiter;
  }

  public IssuanceLimiter limiter() {
    return limiter;
  }

  @Override
  public String type() {
    return issuer.type();
  }

  @Override
  public IssuedCertificate issue(IssueRequest request) {
    return limiter.call("issue " + request.certificateName(), () -> issuer.issue(request));
  }

  @Override
  public IssuedCertificate reissue(IssueRequest request, HeldCertificate current) {
    return limiter.call("issue " + request.certificateName(), () -> issuer.reissue(request, current));
  }

  @Override
  public IssuedCertificate renew(HeldCertificate current) {
    return limiter.call("renew", () -> issuer.renew(current));
  }

  @Override
  public void revoke(X509Certificate certificate, RevocationReason reason) {
    limiter.call("revoke", () -> {
      issuer.revoke(certificate, reason);
      return null;
    });
  }

  @Override
  public X509Certificate root() {
    return issuer.root();
  }

  @Override
  public String healthUrl() {
    return issuer.healthUrl();
  }
}
