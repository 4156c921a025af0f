package ai.thinkheads.phoenix.certs.activities.issuer;

import ai.thinkheads.phoenix.certs.activities.crypto.KeyPairs;
import ai.thinkheads.phoenix.certs.activities.crypto.Pem;
import ai.thinkheads.phoenix.certs.workflows.model.KeyAlgorithm;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The embedded development CA: a root and an intermediate under a data directory, made on first use and never
 * overwritten (keys are written 0600 with create-new, so two processes racing cannot clobber each other).
 */
public final class LocalCa {

  static final String ROOT_CERT = "root_ca.crt";
  static final String ROOT_KEY = "root_ca.key";
  static final String INTERMEDIATE_CERT = "intermediate_ca.crt";
  static final String INTERMEDIATE_KEY = "intermediate_ca.key";

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Duration ROOT_LIFETIME = Duration.ofDays(3650);
  private static final Duration INTERMEDIATE_LIFETIME = Duration.ofDays(1825);

  private final X509Certificate root;
  private final X509Certificate intermediate;
  private final PrivateKey intermediateKey;

  private LocalCa(X509Certificate root, X509Certificate intermediate, PrivateKey intermediateKey) {
    this.root = root;
    this.intermediate = intermediate;
    this.intermediateKey = intermediateKey;
  }

  /** Loads the CA from {@code dir}, creating whatever part of it does not exist yet. */
  public static LocalCa openOrCreate(Path dir, String name) {
    try {
      Files.createDirectories(dir);
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
      if (!Files.exists(dir.resolve(ROOT_CERT))) {
        KeyPair rootKeys = KeyPairs.generate(KeyAlgorithm.ECDSA_P256);
        X500Name subject = new X500Name("CN=" + name + " Root CA,O=phoenix-certs");
        X509Certificate rootCert = caCertificate(subject, rootKeys.getPublic(), subject, rootKeys.getPrivate(),
            ROOT_LIFETIME, 1, null);
        writeNew(dir.resolve(ROOT_KEY), Pem.encode(rootKeys.getPrivate()), "rw-------");
        writeNew(dir.resolve(ROOT_CERT), Pem.encode(rootCert), "rw-r--r--");
      }
      X509Certificate rootCert = readCertificate(dir.resolve(ROOT_CERT));
      if (!Files.exists(dir.resolve(INTERMEDIATE_CERT))) {
        PrivateKey rootKey = readKey(dir.resolve(ROOT_KEY));
        KeyPair keys = KeyPairs.generate(KeyAlgorithm.ECDSA_P256);
        X509Certificate cert = caCertificate(new X500Name("CN=" + name + " Intermediate CA,O=phoenix-certs"),
            keys.getPublic(), X500Name.getInstance(rootCert.getSubjectX500Principal().getEncoded()), rootKey,
            INTERMEDIATE_LIFETIME, 0, rootCert);
        writeNew(dir.resolve(INTERMEDIATE_KEY), Pem.encode(keys.getPrivate()), "rw-------");
        writeNew(dir.resolve(INTERMEDIATE_CERT), Pem.encode(cert), "rw-r--r--");
      }
      return new LocalCa(rootCert, readCertificate(dir.resolve(INTERMEDIATE_CERT)),
          readKey(dir.resolve(INTERMEDIATE_KEY)));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the local CA in " + dir + ": " + e.getMessage(), e);
    }
  }

  public X509Certificate root() {
    return root;
  }

  public X509Certificate intermediate() {
    return intermediate;
  }

  PrivateKey signingKey() {
    return intermediateKey;
  }

  static BigInteger newSerial() {
    return new BigInteger(128, RANDOM).setBit(127);
  }

  private static X509Certificate caCertificate(X500Name subject, PublicKey publicKey, X500Name issuer,
      PrivateKey signer, Duration lifetime, int pathLength, X509Certificate issuerCert) {
    try {
      Instant now = Instant.now();
      JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer, newSerial(),
          Date.from(now.minusSeconds(60)), Date.from(now.plus(lifetime)), subject, publicKey)
          .addExtension(Extension.basicConstraints, true, new BasicConstraints(pathLength))
          .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
          .addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(publicKey));
      if (issuerCert != null) {
        builder.addExtension(Extension.authorityKeyIdentifier, false,
            utils.createAuthorityKeyIdentifier(issuerCert));
      }
      return new JcaX509CertificateConverter().getCertificate(
          builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer)));
    } catch (GeneralSecurityException | IOException | org.bouncycastle.operator.OperatorCreationException e) {
      throw new IllegalStateException("cannot create a CA certificate for " + subject, e);
    }
  }

  private static void writeNew(Path path, String content, String permissions) throws IOException {
    try {
      Files.createFile(path, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(permissions)));
    } catch (FileAlreadyExistsException e) {
      throw new IOException(path + " appeared while creating the CA; refusing to overwrite it", e);
    }
    Files.writeString(path, content, StandardCharsets.US_ASCII, StandardOpenOption.WRITE,
        StandardOpenOption.SYNC);
  }

  private static X509Certificate readCertificate(Path path) throws IOException {
    try {
      return Pem.certificates(Files.readString(path, StandardCharsets.US_ASCII)).get(0);
    } catch (Pem.InvalidPemException e) {
      throw new IOException(path + ": " + e.getMessage());
    }
  }

  private static PrivateKey readKey(Path path) throws IOException {
    if (!Files.exists(path)) {
      throw new IOException(path + " is missing: the CA certificate exists without its key");
    }
    try {
      return Pem.privateKey(Files.readString(path, StandardCharsets.US_ASCII));
    } catch (Pem.InvalidPemException e) {
      throw new IOException(path + ": " + e.getMessage());
    }
  }
}
