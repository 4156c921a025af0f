package ai.thinkheads.phoenix.certs.activities.audit;

import ai.thinkheads.phoenix.certs.workflows.audit.ChainStatus;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;

/**
 * Where a certificate's chain leads, by names and signatures only (no dates: expiry is its own finding), with the
 * pinned root as the only anchor. {@code detail} names the issuer that is missing or the foreign root.
 */
public record ChainCheck(ChainStatus status, String detail) {

  private static final int MAX_DEPTH = 8;

  public static ChainCheck of(X509Certificate leaf, List<X509Certificate> presented, X509Certificate pinned) {
    X509Certificate current = leaf;
    for (int depth = 0; depth < MAX_DEPTH; depth++) {
      if (pinned != null && (same(current, pinned) || signedBy(current, pinned))) {
        return new ChainCheck(ChainStatus.PINNED_ROOT, null);
      }
      if (selfSigned(current)) {
        return current == leaf || same(current, leaf) ? new ChainCheck(ChainStatus.SELF_SIGNED, null)
            : new ChainCheck(ChainStatus.FOREIGN_ROOT, "root " + current.getSubjectX500Principal().getName());
      }
      X509Certificate issuer = null;
      for (X509Certificate candidate : presented) {
        if (!same(candidate, current) && signedBy(current, candidate)) {
          issuer = candidate;
          break;
        }
      }
      if (issuer == null) {
        return new ChainCheck(ChainStatus.INCOMPLETE, "issuer " + current.getIssuerX500Principal().getName()
            + " not presented and not the pinned root");
      }
      current = issuer;
    }
    return new ChainCheck(ChainStatus.INCOMPLETE, "chain longer than " + MAX_DEPTH);
  }

  static boolean selfSigned(X509Certificate c) {
    return c.getSubjectX500Principal().equals(c.getIssuerX500Principal()) && signedBy(c, c);
  }

  static boolean signedBy(X509Certificate c, X509Certificate issuer) {
    if (!c.getIssuerX500Principal().equals(issuer.getSubjectX500Principal())) {
      return false;
    }
    try {
      c.verify(issuer.getPublicKey());
      return true;
    } catch (Exception e) {
      return false;
    }
  }

  static boolean same(X509Certificate a, X509Certificate b) {
    try {
      return Arrays.equals(a.getEncoded(), b.getEncoded());
    } catch (Exception e) {
      return false;
    }
  }
}
