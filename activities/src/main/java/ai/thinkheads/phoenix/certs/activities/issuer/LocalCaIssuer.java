package ai.thinkheads.phoenix.certs.activities.issuer;

import ai.thinkheads.phoenix.certs.activities.crypto.KeyPairs;
import ai.thinkheads.phoenix.certs.activities.crypto.SubjectNames;
import ai.thinkheads.phoenix.certs.workflows.model.KeyUsage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;

/** Issues leaf certificates from the embedded {@link LocalCa}: type {@code local}. */
public final class LocalCaIssuer implements Issuer {

  public static final String TYPE = "local";
  /** One line per certificate signed, as a CA's database keeps them: "notBefore serial CN sans". */
  public static final String ISSUED_LOG = "issued.log";
  static final Duration DEFAULT_LIFETIME = Duration.ofHours(24);
  /** Tolerates clock skew between guests, like step-ca's; short-lived certificates get a tenth of their life. */
  static final Duration BACKDATE = Duration.ofMinutes(1);

  private final Path dataDir;
  private final String caName;
  private final Clock clock;
  private volatile LocalCa ca;

  public LocalCaIssuer(Path dataDir, String caName) {
    this(dataDir, caName, Clock.systemUTC());
  }

  /** @param clock the time certificates are dated from (tests follow Temporal's skipped time with it) */
  public LocalCaIssuer(Path dataDir, String caName, Clock clock) {
    this.dataDir = dataDir;
    this.caName = caName;
    this.clock = clock;
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public X509Certificate root() {
    return ca().root();
  }

  /** The intermediate that signs every certificate (metrics export its expiry). */
  public X509Certificate intermediate() {
    return ca().intermediate();
  }

  /** Opened on first use so that a worker that never issues locally never creates a CA. */
  private LocalCa ca() {
    LocalCa current = ca;
    if (current == null) {
      synchronized (this) {
        if (ca == null) {
          ca = LocalCa.openOrCreate(dataDir, caName);
        }
        current = ca;
      }
    }
    return current;
  }

  @Override
  public IssuedCertificate issue(IssueRequest request) {
    LocalCa authority = ca();
    try {
      JcaPKCS10CertificationRequest csr = new JcaPKCS10CertificationRequest(request.csr());
      PublicKey subjectKey = csr.getPublicKey();
      if (!csr.isSignatureValid(new JcaContentVerifierProviderBuilder().build(subjectKey))) {
        throw new IssuerRejectedException("the CSR for " + request.certificateName() + " has a bad signature");
      }
      if (request.sans().isEmpty()) {
        throw new IssuerRejectedException("the certificate " + request.certificateName() + " names no SAN");
      }
      X509Certificate intermediate = authority.intermediate();
      Instant now = clock.instant();
      Duration lifetime = request.lifetime() == null ? DEFAULT_LIFETIME : request.lifetime();
      Instant notAfter = now.plus(lifetime);
      if (notAfter.isAfter(intermediate.getNotAfter().toInstant())) {
        notAfter = intermediate.getNotAfter().toInstant();
      }
      X500Name subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, request.commonName()).build();
      JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
          X500Name.getInstance(intermediate.getSubjectX500Principal().getEncoded()), LocalCa.newSerial(),
          Date.from(now.minus(backdate(lifetime))), Date.from(notAfter), subject, subjectKey)
          .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
          .addExtension(Extension.keyUsage, true, keyUsage(subjectKey))
          .addExtension(Extension.extendedKeyUsage, false, extendedKeyUsage(request.usages()))
          .addExtension(Extension.subjectAlternativeName, false, SubjectNames.generalNames(request.sans()))
          .addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(subjectKey))
          .addExtension(Extension.authorityKeyIdentifier, false, utils.createAuthorityKeyIdentifier(intermediate));
      X509Certificate leaf = new JcaX509CertificateConverter().getCertificate(builder.build(
          new JcaContentSignerBuilder(KeyPairs.signatureAlgorithm(intermediate.getPublicKey()))
              .build(authority.signingKey())));
      record(leaf, request);
      return new IssuedCertificate(List.of(leaf, intermediate), authority.root());
    } catch (GeneralSecurityException | IOException | OperatorCreationException | PKCSException e) {
      throw new IllegalStateException("local CA cannot issue " + request.certificateName() + ": " + e.getMessage(),
          e);
    }
  }

  private synchronized void record(X509Certificate leaf, IssueRequest request) throws IOException {
    String line = leaf.getNotBefore().toInstant() + " " + leaf.getSerialNumber().toString(16) + " "
        + request.commonName() + " " + String.join(",", request.sans()) + "\n";
    Files.writeString(dataDir.resolve(ISSUED_LOG), line, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
  }

  static Duration backdate(Duration lifetime) {
    Duration tenth = lifetime.dividedBy(10);
    return tenth.compareTo(BACKDATE) < 0 ? tenth : BACKDATE;
  }

  private static org.bouncycastle.asn1.x509.KeyUsage keyUsage(PublicKey key) {
    int bits = org.bouncycastle.asn1.x509.KeyUsage.digitalSignature;
    if (key instanceof java.security.interfaces.RSAKey) {
      bits |= org.bouncycastle.asn1.x509.KeyUsage.keyEncipherment;
    }
    return new org.bouncycastle.asn1.x509.KeyUsage(bits);
  }

  private static ExtendedKeyUsage extendedKeyUsage(List<KeyUsage> usages) {
    List<KeyPurposeId> purposes = new ArrayList<>();
    if (usages.contains(KeyUsage.SERVER)) {
      purposes.add(KeyPurposeId.id_kp_serverAuth);
    }
    if (usages.contains(KeyUsage.CLIENT)) {
      purposes.add(KeyPurposeId.id_kp_clientAuth);
    }
    return new ExtendedKeyUsage(purposes.toArray(KeyPurposeId[]::new));
  }
}
