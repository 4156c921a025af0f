package ai.thinkheads.phoenix.certs.activities.crypto;

import ai.thinkheads.phoenix.certs.workflows.model.KeyAlgorithm;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Optional;

/** Key generation, and the two questions asked of a key found on a target: what is it, does it match. */
public final class KeyPairs {

  private static final SecureRandom RANDOM = new SecureRandom();

  private KeyPairs() {}

  public static KeyPair generate(KeyAlgorithm algorithm) {
    try {
      KeyPairGenerator generator;
      switch (algorithm) {
        case ECDSA_P256, ECDSA_P384 -> {
          generator = KeyPairGenerator.getInstance("EC");
          generator.initialize(new ECGenParameterSpec(algorithm == KeyAlgorithm.ECDSA_P256 ? "secp256r1" : "secp384r1"),
              RANDOM);
        }
        default -> {
          generator = KeyPairGenerator.getInstance("RSA");
          generator.initialize(Integer.parseInt(algorithm.id().substring("rsa-".length())), RANDOM);
        }
      }
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot generate a " + algorithm.id() + " key", e);
    }
  }

  public static Optional<KeyAlgorithm> algorithmOf(PublicKey key) {
    if (key instanceof RSAPublicKey rsa) {
      return KeyAlgorithm.fromId("rsa-" + rsa.getModulus().bitLength());
    }
    if (key instanceof ECPublicKey ec) {
      int bits = ec.getParams().getCurve().getField().getFieldSize();
      return KeyAlgorithm.fromId(bits == 256 ? "ecdsa-p256" : bits == 384 ? "ecdsa-p384" : "unknown");
    }
    return Optional.empty();
  }

  /** True when the private key signs what the public key verifies: the pair belongs together. */
  public static boolean matches(PrivateKey privateKey, PublicKey publicKey) {
    String algorithm = signatureAlgorithm(publicKey);
    if (algorithm == null || !family(privateKey).equals(family(publicKey))) {
      return false;
    }
    try {
      byte[] challenge = new byte[32];
      RANDOM.nextBytes(challenge);
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(privateKey);
      signer.update(challenge);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(publicKey);
      verifier.update(challenge);
      return verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  public static String signatureAlgorithm(PublicKey key) {
    return switch (family(key)) {
      case "EC" -> "SHA256withECDSA";
      case "RSA" -> "SHA256withRSA";
      default -> null;
    };
  }

  /**
   * The key's algorithm, with BouncyCastle's name for EC keys ("ECDSA") folded into the JDK's ("EC"): once BC is
   * a registered provider (SSHJ registers it, so does the step-ca issuer), PEM-read keys come from it.
   */
  private static String family(Key key) {
    return "ECDSA".equals(key.getAlgorithm()) ? "EC" : key.getAlgorithm();
  }
}
