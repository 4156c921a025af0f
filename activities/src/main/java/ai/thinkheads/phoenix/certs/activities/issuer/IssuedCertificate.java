package ai.thinkheads.phoenix.certs.activities.issuer;

import java.security.cert.X509Certificate;
import java.util.List;

/** A signed leaf with its chain: {@code chain} starts with the leaf and holds the intermediates, not the root. */
public record IssuedCertificate(List<X509Certificate> chain, X509Certificate root) {

  public IssuedCertificate {
    chain = List.copyOf(chain);
  }

  public X509Certificate leaf() {
    return chain.get(0);
  }
}
