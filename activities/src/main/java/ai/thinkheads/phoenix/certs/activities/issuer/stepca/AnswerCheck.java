package ai.thinkheads.phoenix.certs.activities.issuer.stepca;

import ai.thinkheads.phoenix.certs.activities.crypto.CertificateFacts;
import ai.thinkheads.phoenix.certs.activities.crypto.SubjectNames;
import ai.thinkheads.phoenix.certs.activities.issuer.IssuedCertificate;
import ai.thinkheads.phoenix.certs.activities.issuer.IssuerRejectedException;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the CA handed back is checked before anyone uses it: the leaf chains to the pinned root (PKIX, the JDK's
 * validator), names exactly the SANs asked for, certifies the key asked for, and is valid now.
 */
final class AnswerCheck {

  /** How far the CA's clock may run ahead of ours before a notBefore in the future is suspicious. */
  static final Duration CLOCK_SKEW = Duration.ofMinutes(5);

  private AnswerCheck() {}

  static void verify(IssuedCertificate issued, X509Certificate root, PublicKey expectedKey,
      Collection<String> expectedSans, Instant now, String what) {
    X509Certificate leaf = issued.leaf();
    String problem = chainProblem(issued.chain(), root, now);
    if (problem != null) {
      throw rejected(what, "does not chain to the pinned root " + CertificateFacts.fingerprint(root) + ": "
          + problem);
    }
    if (!leaf.getPublicKey().equals(expectedKey)) {
      throw rejected(what, "certifies another public key than the one requested");
    }
    Set<String> got = normalized(CertificateFacts.sansOf(leaf));
    Set<String> wanted = normalized(expectedSans);
    if (!got.equals(wanted)) {
      throw rejected(what, "names SANs " + got + ", requested " + wanted);
    }
    Instant notBefore = leaf.getNotBefore().toInstant();
    Instant notAfter = leaf.getNotAfter().toInstant();
    if (notBefore.isAfter(now.plus(CLOCK_SKEW)) || !notAfter.isAfter(now)) {
      throw rejected(what, "is not valid now (" + notBefore + " to " + notAfter + ", now " + now
          + "); check the clocks of the CA and this worker");
    }
  }

  /** Null when {@code chain} (leaf first, without the root) validates to {@code root} at {@code at}. */
  static String chainProblem(List<X509Certificate> chain, X509Certificate root, Instant at) {
    try {
      PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(root, null)));
      parameters.setRevocationEnabled(false); // step-ca 0.19 publishes no CRL or OCSP; revocation is passive
      parameters.setDate(Date.from(at));
      CertPathValidator.getInstance("PKIX").validate(
          CertificateFactory.getInstance("X.509").generateCertPath(chain), parameters);
      return null;
    } catch (GeneralSecurityException e) {
      return e.getMessage();
    }
  }

  private static Set<String> normalized(Collection<String> names) {
    Set<String> out = new TreeSet<>();
    names.forEach(n -> out.add(SubjectNames.canonical(n).toLowerCase(Locale.ROOT)));
    return out;
  }

  private static IssuerRejectedException rejected(String what, String problem) {
    return new IssuerRejectedException(what + ": the certificate the CA returned " + problem
        + "; refusing to use it");
  }
}
