package ai.thinkheads.phoenix.certs.activities.certificate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.thinkheads.phoenix.certs.activities.crypto.KeyPairs;
import ai.thinkheads.phoenix.certs.activities.crypto.SubjectNames;
import ai.thinkheads.phoenix.certs.activities.issuer.IssuerRejectedException;
import ai.thinkheads.phoenix.certs.activities.testing.LocalStack;
import ai.thinkheads.phoenix.certs.workflows.model.CertificateSpec;
import ai.thinkheads.phoenix.certs.workflows.model.KeyAlgorithm;
import ai.thinkheads.phoenix.certs.workflows.model.KeyUsage;
import java.math.BigInteger;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each way a CA's answer can differ from the request is refused, naming the field, the asked and the got. */
class RequestCheckTest {

  static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
  static final KeyPair CA = KeyPairs.generate(KeyAlgorithm.ECDSA_P256);
  static final KeyPair LEAF = KeyPairs.generate(KeyAlgorithm.ECDSA_P256);

  @TempDir
  Path dir;

  @Test
  void whatWasAskedForPasses() throws Exception {
    CertificateSpec spec = spec(List.of(KeyUsage.SERVER));
    RequestCheck.check(spec, LEAF.getPublic(), spec.sans(), leaf("CN=web.test", List.of(KeyPurposeId.id_kp_serverAuth),
        Duration.ofHours(1), "SHA256withECDSA", false), NOW);
    // a server certificate may come without a CN (ACME CAs drop it)
    RequestCheck.check(spec, LEAF.getPublic(), spec.sans(), leaf("", List.of(KeyPurposeId.id_kp_serverAuth),
        Duration.ofHours(1), "SHA256withECDSA", false), NOW);
  }

  @Test
  void aSubjectOtherThanTheOneAskedForIsRefused() throws Exception {
    CertificateSpec client = spec(List.of(KeyUsage.CLIENT));
    String message = refused(client, leaf("CN=fixed-subject,O=Evil Org", List.of(KeyPurposeId.id_kp_clientAuth),
        Duration.ofHours(1), "SHA256withECDSA", false));
    assertEquals(true, message.contains("subject: asked CN=web.test, got O=Evil Org,CN=fixed-subject"), message);
    // a client certificate's CN is its identity: it must be there
    assertEquals(true, refused(client, leaf("", List.of(KeyPurposeId.id_kp_clientAuth), Duration.ofHours(1),
        "SHA256withECDSA", false)).contains("subject: asked CN=web.test, got (empty)"));
  }

  @Test
  void usagesMustBeExactlyThoseAskedFor() throws Exception {
    String message = refused(spec(List.of(KeyUsage.CLIENT)), leaf("CN=web.test",
        List.of(KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth), Duration.ofHours(1),
        "SHA256withECDSA", false));
    assertEquals(true, message.contains("extended key usage: asked [clientAuth], got [clientAuth, serverAuth]"),
        message);
    // unstated usage: both, as step-ca's default template issues them
    CertificateSpec unstated = spec(null);
    RequestCheck.check(unstated, LEAF.getPublic(), unstated.sans(), leaf("CN=web.test",
        List.of(KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth), Duration.ofHours(1),
        "SHA256withECDSA", false), NOW);
    assertEquals(true, refused(spec(List.of(KeyUsage.SERVER)), leaf("CN=web.test",
        List.of(KeyPurposeId.id_kp_serverAuth), Duration.ofHours(1), "SHA256withECDSA", true))
        .contains("key usage: asked an end-entity certificate, got a CA certificate"));
  }

  @Test
  void longerThanAskedOrNotValidNowIsRefused() throws Exception {
    CertificateSpec spec = spec(List.of(KeyUsage.SERVER));
    assertEquals(true, refused(spec, leaf("CN=web.test", List.of(KeyPurposeId.id_kp_serverAuth), Duration.ofDays(30),
        "SHA256withECDSA", false)).contains("validity: asked at most PT1H, got PT720H"));
    X509Certificate expired = leaf("CN=web.test", List.of(KeyPurposeId.id_kp_serverAuth), Duration.ofMinutes(30),
        "SHA256withECDSA", false);
    assertEquals(true, refusedAt(spec, expired, NOW.plus(Duration.ofHours(2))).contains("validity: asked valid now"));
  }

  @Test
  void aWeakSignatureIsRefused() throws Exception {
    String message = refused(spec(List.of(KeyUsage.SERVER)), leaf("CN=web.test",
        List.of(KeyPurposeId.id_kp_serverAuth), Duration.ofHours(1), "SHA1withECDSA", false));
    assertEquals(true, message.contains("signature algorithm: asked SHA-256 or stronger"), message);
  }

  @Test
  void anotherKeyOrOtherNamesAreRefused() throws Exception {
    CertificateSpec spec = spec(List.of(KeyUsage.SERVER));
    X509Certificate good = leaf("CN=web.test", List.of(KeyPurposeId.id_kp_serverAuth), Duration.ofHours(1),
        "SHA256withECDSA", false);
    IssuerRejectedException key = assertThrows(IssuerRejectedException.class, () -> RequestCheck.check(spec,
        KeyPairs.generate(KeyAlgorithm.ECDSA_P256).getPublic(), spec.sans(), good, NOW));
    assertEquals(true, key.getMessage().contains("public key: asked the key of the request, got another key"));
    IssuerRejectedException names = assertThrows(IssuerRejectedException.class, () -> RequestCheck.check(spec,
        LEAF.getPublic(), List.of("web.test", "other.test"), good, NOW));
    assertEquals(true, names.getMessage().contains("SANs: asked [other.test, web.test], got [web.test]"),
        names.getMessage());
  }

  private CertificateSpec spec(List<KeyUsage> usages) {
    CertificateSpec base = LocalStack.spec(dir, "web", Duration.ofHours(1));
    return new CertificateSpec("web", base.target(), base.issuer(), "web.test", List.of("web.test"),
        KeyAlgorithm.ECDSA_P256, usages, Duration.ofHours(1), 0, null, base.files(), base.validate(),
        base.reload(), base.verify(), List.of());
  }

  private static String refused(CertificateSpec spec, X509Certificate leaf) {
    return refusedAt(spec, leaf, NOW);
  }

  private static String refusedAt(CertificateSpec spec, X509Certificate leaf, Instant at) {
    return assertThrows(IssuerRejectedException.class,
        () -> RequestCheck.check(spec, LEAF.getPublic(), spec.sans(), leaf, at)).getMessage();
  }

  private static X509Certificate leaf(String subject, List<KeyPurposeId> usages, Duration lifetime, String signature,
      boolean ca) throws Exception {
    Instant notBefore = NOW.minusSeconds(60);
    JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(new X500Name("CN=Test CA"),
        BigInteger.valueOf(NOW.toEpochMilli()), Date.from(notBefore), Date.from(notBefore.plus(lifetime)),
        new X500Name(subject), LEAF.getPublic());
    builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
    builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(
        usages.toArray(KeyPurposeId[]::new)));
    builder.addExtension(Extension.subjectAlternativeName, subject.isEmpty(), SubjectNames.generalNames(
        List.of("web.test")));
    return new JcaX509CertificateConverter().getCertificate(builder.build(new JcaContentSignerBuilder(signature)
        .build(CA.getPrivate())));
  }
}
