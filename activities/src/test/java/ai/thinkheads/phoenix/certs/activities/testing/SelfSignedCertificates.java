package ai.thinkheads.phoenix.certs.activities.testing;

import ai.thinkheads.phoenix.certs.activities.crypto.KeyPairs;
import ai.thinkheads.phoenix.certs.activities.crypto.Pem;
import ai.thinkheads.phoenix.certs.workflows.model.KeyAlgorithm;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Self-signed certificates with any validity (an expired one, an old setup script's), for audit tests. */
public final class SelfSignedCertificates {

  /** PEM of the certificate and of its key. */
  public record Pair(X509Certificate certificate, String certPem, String keyPem) {}

  private SelfSignedCertificates() {}

  public static Pair make(String name, Instant notBefore, Instant notAfter) throws Exception {
    KeyPair keys = KeyPairs.generate(KeyAlgorithm.ECDSA_P256);
    X500Name subject = new X500Name("CN=" + name);
    JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject,
        BigInteger.valueOf(System.nanoTime()), Date.from(notBefore), Date.from(notAfter), subject, keys.getPublic());
    builder.addExtension(Extension.subjectAlternativeName, false,
        new GeneralNames(new GeneralName(GeneralName.dNSName, name)));
    X509Certificate cert = new JcaX509CertificateConverter().getCertificate(builder.build(
        new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
    return new Pair(cert, Pem.encode(cert), Pem.encode(keys.getPrivate()));
  }

  public static List<X509Certificate> chain(Pair pair) {
    return List.of(pair.certificate());
  }
}
