package ai.thinkheads.phoenix.certs.activities.audit;

import ai.thinkheads.phoenix.certs.activities.crypto.CertificateFacts;
import ai.thinkheads.phoenix.certs.workflows.audit.CertificateFact;
import ai.thinkheads.phoenix.certs.workflows.audit.CertificateKind;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Public facts of X.509 certificates, as the audit reports them. */
public final class Measure {

  private static final Pattern PEM_CERT = Pattern.compile(
      "-----BEGIN CERTIFICATE-----[A-Za-z0-9+/=\\s]+?-----END CERTIFICATE-----");

  private Measure() {}

  /** The fact for {@code leaf}, its chain judged against {@code pinned} with the certificates presented beside it. */
  public static CertificateFact of(CertificateKind kind, String component, String name, String location,
      X509Certificate leaf, List<X509Certificate> presented, X509Certificate pinned) {
    ChainCheck chain = ChainCheck.of(leaf, presented, pinned);
    PublicKey key = leaf.getPublicKey();
    return new CertificateFact(kind, component, name, location, leaf.getSubjectX500Principal().getName(),
        leaf.getIssuerX500Principal().getName(), CertificateFacts.serialOf(leaf), CertificateFacts.sansOf(leaf),
        leaf.getNotBefore().toInstant(), leaf.getNotAfter().toInstant(), describe(key), bits(key),
        leaf.getSigAlgName(), CertificateFacts.fingerprint(leaf), chain.status(), chain.detail(), null, null, null,
        null, null, null, null);
  }

  /** Every certificate in PEM text, in order; text that is not a certificate (a key) is skipped, never kept. */
  public static List<X509Certificate> certificates(String text) {
    List<X509Certificate> out = new ArrayList<>();
    Matcher m = PEM_CERT.matcher(text);
    while (m.find()) {
      try {
        out.add((X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(
            new ByteArrayInputStream(m.group().getBytes(StandardCharsets.US_ASCII))));
      } catch (Exception unreadable) {
        // a damaged block: the rest of the file still counts
      }
    }
    return out;
  }

  public static List<X509Certificate> certificates(byte[] content) {
    return certificates(new String(content, StandardCharsets.US_ASCII));
  }

  static String describe(PublicKey key) {
    if (key instanceof RSAPublicKey rsa) {
      return "RSA " + rsa.getModulus().bitLength();
    }
    if (key instanceof ECPublicKey ec) {
      return "EC P-" + ec.getParams().getCurve().getField().getFieldSize();
    }
    return key.getAlgorithm();
  }

  static int bits(PublicKey key) {
    if (key instanceof RSAPublicKey rsa) {
      return rsa.getModulus().bitLength();
    }
    if (key instanceof ECPublicKey ec) {
      return ec.getParams().getCurve().getField().getFieldSize();
    }
    return 256;
  }

  /** "CN=Old CA (sha256 ab12cd34)": how a trust store's other roots are named. */
  static String rootLabel(X509Certificate root) {
    String fp = CertificateFacts.fingerprint(root);
    return root.getSubjectX500Principal().getName() + " (sha256 " + fp.substring(0, Math.min(16, fp.length()))
        + ")";
  }
}
