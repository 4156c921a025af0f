package ai.thinkheads.phoenix.certs.activities.issuer.acme;

import ai.thinkheads.phoenix.certs.workflows.failure.FailureType;
import ai.thinkheads.phoenix.certs.activities.crypto.KeyPairs;
import ai.thinkheads.phoenix.certs.activities.crypto.Pem;
import ai.thinkheads.phoenix.certs.activities.steps.StepFailedException;
import ai.thinkheads.phoenix.certs.workflows.model.KeyAlgorithm;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.Set;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ACME account's key pair, kept in the file the inventory names (never in history: only this worker reads
 * it). Made on first use when the file does not exist: ECDSA P-256, written 0600 before anyone can read it.
 *
 * <p>Written as a PKCS#8 private key followed by its public key: acme4j's {@code KeyPairUtils.writeKeyPair} turns
 * a JDK EC key pair into an "EC PRIVATE KEY" without curve or public key, which nothing can read back. Read are
 * that form and the traditional "EC/RSA PRIVATE KEY" with its public key (as openssl and certbot write them).
 */
final class AccountKey {

  private static final Logger log = LoggerFactory.getLogger(AccountKey.class);
  private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

  private AccountKey() {}

  static KeyPair loadOrCreate(Path file) {
    if (!Files.exists(file)) {
      try {
        return create(file);
      } catch (FileAlreadyExistsException raced) {
        // another worker made it a moment ago: use that one
      } catch (IOException e) {
        throw invalid(file, "cannot create it: " + e);
      }
    }
    return read(file);
  }

  private static KeyPair create(Path file) throws IOException {
    KeyPair keys = KeyPairs.generate(KeyAlgorithm.ECDSA_P256);
    String pem = Pem.encode(keys.getPrivate()) + Pem.encode(keys.getPublic());
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path temp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp",
        PosixFilePermissions.asFileAttribute(OWNER_ONLY));
    try {
      Files.writeString(temp, pem, StandardCharsets.US_ASCII);
      Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE); // fails rather than replace a key made meanwhile
    } finally {
      Files.deleteIfExists(temp);
    }
    log.info("made a new ACME account key in {} (mode 0600)", file);
    return keys;
  }

  private static KeyPair read(Path file) {
    try {
      Set<PosixFilePermission> mode = Files.getPosixFilePermissions(file);
      if (!OWNER_ONLY.containsAll(mode)) {
        log.warn("ACME account key {} is readable by others ({}); chmod 600 it", file,
            PosixFilePermissions.toString(mode));
      }
    } catch (IOException | UnsupportedOperationException e) {
      // reading it below says what is wrong
    }
    String pem;
    try {
      pem = Files.readString(file, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw invalid(file, "cannot read it: " + e);
    }
    JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
    PrivateKey privateKey = null;
    PublicKey publicKey = null;
    try (PEMParser parser = new PEMParser(new StringReader(pem))) {
      for (Object object = parser.readObject(); object != null; object = parser.readObject()) {
        if (object instanceof PEMKeyPair pair && pair.getPublicKeyInfo() != null) {
          return converter.getKeyPair(pair);
        } else if (object instanceof PrivateKeyInfo info) {
          privateKey = converter.getPrivateKey(info);
        } else if (object instanceof SubjectPublicKeyInfo info) {
          publicKey = converter.getPublicKey(info);
        }
      }
    } catch (IOException | RuntimeException e) {
      throw invalid(file, "it is not a PEM key pair (" + e.getMessage() + ")");
    }
    if (privateKey == null || publicKey == null || !KeyPairs.matches(privateKey, publicKey)) {
      throw invalid(file, "it holds no private key with its matching public key");
    }
    return new KeyPair(publicKey, privateKey);
  }

  private static StepFailedException invalid(Path file, String why) {
    return new StepFailedException(FailureType.INVALID_SPEC, "ACME account key " + file + ": " + why + "; fix it, or move it "
        + "away to register a new account with a new key");
  }
}
