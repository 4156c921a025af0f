package ai.thinkheads.phoenix.certs.activities.issuer;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * A certificate a target holds now, with its private key: what a CA needs to renew it over mTLS. Lives only
 * inside one activity; never an activity input or result (it would land in history).
 *
 * @param chain the leaf first, then its intermediates
 */
public record HeldCertificate(List<X509Certificate> chain, PrivateKey key) {

  public HeldCertificate {
    chain = List.copyOf(chain);
    if (chain.isEmpty()) {
      throw new IllegalArgumentException("a held certificate needs at least its leaf");
    }
  }

  public X509Certificate leaf() {
    return chain.get(0);
  }

  /** Never prints the key: records would otherwise put it into logs and exception messages. */
  @Override
  public String toString() {
    return "HeldCertificate[serial=" + leaf().getSerialNumber().toString(16) + ", key=<redacted>]";
  }
}
