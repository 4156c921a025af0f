package ai.thinkheads.phoenix.certs.activities.certificate;

import ai.thinkheads.phoenix.certs.activities.crypto.CertificateFacts;
import ai.thinkheads.phoenix.certs.activities.crypto.KeyPairs;
import ai.thinkheads.phoenix.certs.activities.crypto.Pem;
import ai.thinkheads.phoenix.certs.activities.issuer.HeldCertificate;
import ai.thinkheads.phoenix.certs.activities.transport.Transport;
import ai.thinkheads.phoenix.certs.workflows.model.CertificateFiles;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;

/**
 * A certificate and key as read from a target, checked to belong together. The key is parsed here and
 * dropped: only the certificate's public facts leave this class.
 *
 * @param problem why the pair is unusable (missing, unreadable, mismatched), or null when it is fine
 */
public record LivePair(CertificateFacts facts, String problem) {

  public static LivePair read(Transport transport, CertificateFiles files) {
    return read(transport, files.cert(), files.key());
  }

  public static LivePair read(Transport transport, String certPath, String keyPath) {
    String where = " on " + transport.describe();
    Optional<byte[]> certBytes = transport.read(certPath);
    if (certBytes.isEmpty()) {
      return new LivePair(null, "no certificate at " + certPath + where);
    }
    X509Certificate leaf;
    try {
      leaf = Pem.certificates(new String(certBytes.get(), StandardCharsets.US_ASCII)).get(0);
    } catch (Pem.InvalidPemException e) {
      return new LivePair(null, "certificate at " + certPath + where + " is unreadable: " + e.getMessage());
    }
    CertificateFacts facts = CertificateFacts.of(leaf);
    Optional<byte[]> keyBytes = transport.read(keyPath);
    if (keyBytes.isEmpty()) {
      return new LivePair(facts, "no key at " + keyPath + where);
    }
    PrivateKey key;
    try {
      key = Pem.privateKey(new String(keyBytes.get(), StandardCharsets.US_ASCII));
    } catch (Pem.InvalidPemException e) {
      return new LivePair(facts, "key at " + keyPath + where + " is unreadable: " + e.getMessage());
    }
    if (!KeyPairs.matches(key, leaf.getPublicKey())) {
      return new LivePair(facts, "key at " + keyPath + " does not match certificate " + facts.serial() + where);
    }
    return new LivePair(facts, null);
  }

  /**
   * The live chain with its key, for an issuer that renews from it (step-ca over mTLS); empty unless the pair
   * is readable and belongs together. The key stays inside the calling activity.
   */
  public static Optional<HeldCertificate> held(Transport transport, CertificateFiles files) {
    Optional<byte[]> certBytes = transport.read(files.cert());
    Optional<byte[]> keyBytes = certBytes.isEmpty() ? Optional.empty() : transport.read(files.key());
    if (keyBytes.isEmpty()) {
      return Optional.empty();
    }
    try {
      List<X509Certificate> chain = Pem.certificates(new String(certBytes.get(), StandardCharsets.US_ASCII));
      PrivateKey key = Pem.privateKey(new String(keyBytes.get(), StandardCharsets.US_ASCII));
      return KeyPairs.matches(key, chain.get(0).getPublicKey()) ? Optional.of(new HeldCertificate(chain, key))
          : Optional.empty();
    } catch (Pem.InvalidPemException e) {
      return Optional.empty();
    }
  }
}
