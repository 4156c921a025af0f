package ai.thinkheads.phoenix.certs.activities.issuer.stepca;

import ai.thinkheads.phoenix.certs.workflows.failure.FailureType;
import ai.thinkheads.phoenix.certs.activities.steps.StepFailedException;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWEObject;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.PasswordBasedDecrypter;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * A JWK provisioner's private key, decrypted once per process and kept in memory: PBES2 costs hundreds of
 * milliseconds by design, and every certificate needs a freshly signed token. Signs tokens; never leaves.
 */
public final class ProvisionerKey {

  private static final ConcurrentMap<Identity, AtomicReference<ProvisionerKey>> KEYS = new ConcurrentHashMap<>();
  private static final AtomicInteger DECRYPTIONS = new AtomicInteger();

  private final String provisioner;
  private final String kid;
  private final JWSAlgorithm algorithm;
  private final ECDSASigner signer;

  private ProvisionerKey(String provisioner, String kid, JWSAlgorithm algorithm, ECDSASigner signer) {
    this.provisioner = provisioner;
    this.kid = kid;
    this.algorithm = algorithm;
    this.signer = signer;
  }

  /** Which key: one per CA, provisioner and password file. */
  private record Identity(String ca, String provisioner, Path passwordFile) {}

  /**
   * The key for {@code config}, decrypted on the first call in this process ({@code lookup} finds the
   * provisioner then). Concurrent first calls wait for one decryption; a failure is not cached.
   */
  public static ProvisionerKey obtain(StepCaConfig config, Supplier<JwkProvisioner> lookup) {
    Identity identity = new Identity(config.url().toString(), config.provisioner(),
        config.passwordFile().toAbsolutePath().normalize());
    AtomicReference<ProvisionerKey> slot = KEYS.computeIfAbsent(identity, i -> new AtomicReference<>());
    ProvisionerKey key = slot.get();
    if (key != null) {
      return key;
    }
    synchronized (slot) {
      if (slot.get() == null) {
        slot.set(decrypt(lookup.get(), config));
      }
      return slot.get();
    }
  }

  /** How many provisioner keys this process has decrypted (for tests and the benchmark: one per key). */
  public static int decryptions() {
    return DECRYPTIONS.get();
  }

  static ProvisionerKey decrypt(JwkProvisioner provisioner, StepCaConfig config) {
    String which = "JWK provisioner '" + provisioner.name() + "' of step-ca at " + config.url();
    JWEObject jwe;
    ECKey published;
    try {
      jwe = JWEObject.parse(provisioner.encryptedKey());
      published = JWK.parse(provisioner.publicKey()).toECKey();
    } catch (ParseException | ClassCastException e) {
      throw new StepFailedException(FailureType.INVALID_SPEC, which + " publishes a key this client cannot read ("
          + e.getMessage() + "); only EC (ES256/ES384/ES512) provisioner keys are supported");
    }
    byte[] password = readPassword(config.passwordFile(), which);
    try {
      jwe.decrypt(new PasswordBasedDecrypter(password));
    } catch (JOSEException e) {
      throw new StepFailedException(FailureType.AUTHENTICATION_FAILED, "cannot decrypt the key of " + which + " with the "
          + "password in " + config.passwordFile() + " (" + e.getMessage() + "): the password is wrong or belongs "
          + "to another provisioner; fix the file named by ca.passwordFile");
    } finally {
      Arrays.fill(password, (byte) 0);
    }
    ECKey key;
    try {
      key = JWK.parse(jwe.getPayload().toString()).toECKey();
    } catch (ParseException | ClassCastException e) {
      throw new StepFailedException(FailureType.INVALID_SPEC, which + ": the decrypted key is not an EC JWK");
    }
    if (!key.isPrivate() || !key.toPublicJWK().getX().equals(published.getX())
        || !key.toPublicJWK().getY().equals(published.getY())) {
      throw new StepFailedException(FailureType.INVALID_SPEC, which + ": the encryptedKey does not hold the private half of "
          + "the published key (kid " + provisioner.kid() + "); the provisioner is misconfigured on the CA");
    }
    try {
      ECDSASigner signer = new ECDSASigner(key);
      signer.getJCAContext().setProvider(FastSignatures.provider()); // a token per certificate: ECDSA is hot
      ProvisionerKey decrypted = new ProvisionerKey(provisioner.name(), provisioner.kid(),
          algorithmFor(key.getCurve(), which), signer);
      DECRYPTIONS.incrementAndGet();
      return decrypted;
    } catch (JOSEException e) {
      throw new StepFailedException(FailureType.INVALID_SPEC, which + ": cannot sign with its key: " + e.getMessage());
    }
  }

  public String provisioner() {
    return provisioner;
  }

  public String kid() {
    return kid;
  }

  /** Signs a JWT with header {@code kid} and {@code typ: JWT}, as step-ca expects of a one-time token. */
  String sign(JWTClaimsSet claims) {
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(algorithm).keyID(kid).type(JOSEObjectType.JWT).build(),
        claims);
    try {
      jwt.sign(signer);
    } catch (JOSEException e) {
      throw new IllegalStateException("cannot sign a token for provisioner '" + provisioner + "': "
          + e.getMessage(), e);
    }
    return jwt.serialize();
  }

  @Override
  public String toString() {
    return "ProvisionerKey[" + provisioner + ", kid=" + kid + ", key=<redacted>]";
  }

  private static JWSAlgorithm algorithmFor(Curve curve, String which) {
    if (Curve.P_256.equals(curve)) {
      return JWSAlgorithm.ES256;
    }
    if (Curve.P_384.equals(curve)) {
      return JWSAlgorithm.ES384;
    }
    if (Curve.P_521.equals(curve)) {
      return JWSAlgorithm.ES512;
    }
    throw new StepFailedException(FailureType.INVALID_SPEC, which + ": unsupported curve " + curve);
  }

  /** The file's bytes without a trailing newline, as the step CLI reads password files. */
  private static byte[] readPassword(Path file, String which) {
    byte[] raw;
    try {
      raw = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new StepFailedException(FailureType.AUTHENTICATION_FAILED, "cannot read the password file " + file + " for "
          + which + ": " + e.getClass().getSimpleName() + "; create it (mode 0600) or fix ca.passwordFile");
    }
    int end = raw.length;
    while (end > 0 && (raw[end - 1] == '\n' || raw[end - 1] == '\r')) {
      end--;
    }
    byte[] password = Arrays.copyOf(raw, end);
    Arrays.fill(raw, (byte) 0);
    return password;
  }
}
