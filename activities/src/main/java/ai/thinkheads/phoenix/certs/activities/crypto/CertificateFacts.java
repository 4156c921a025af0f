package ai.thinkheads.phoenix.certs.activities.crypto;

import ai.thinkheads.phoenix.certs.workflows.model.KeyAlgorithm;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;

/** The public facts of a certificate that the workflows reason about. */
public record CertificateFacts(
    String serial, Instant notBefore, Instant notAfter, List<String> sans, KeyAlgorithm key, String fingerprint) {

  private static final int DNS = 2;
  private static final int IP = 7;

  public static CertificateFacts of(X509Certificate certificate) {
    return new CertificateFacts(
        serialOf(certificate),
        certificate.getNotBefore().toInstant(),
        certificate.getNotAfter().toInstant(),
        sansOf(certificate),
        KeyPairs.algorithmOf(certificate.getPublicKey()).orElse(null),
        fingerprint(certificate));
  }

  public static String serialOf(X509Certificate certificate) {
    return certificate.getSerialNumber().toString(16);
  }

  /** SHA-256 of the DER, lower-case hex: the form `step ca bootstrap --fingerprint` takes. */
  public static String fingerprint(X509Certificate certificate) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
    } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
      throw new IllegalStateException(e);
    }
  }

  public static List<String> sansOf(X509Certificate certificate) {
    List<String> out = new ArrayList<>();
    try {
      Collection<List<?>> names = certificate.getSubjectAlternativeNames();
      if (names != null) {
        for (List<?> name : names) {
          int kind = (Integer) name.get(0);
          if (kind == DNS || kind == IP) {
            out.add(SubjectNames.canonical(String.valueOf(name.get(1))));
          }
        }
      }
    } catch (CertificateParsingException e) {
      return List.of();
    }
    return out;
  }
}
