package ai.thinkheads.phoenix.certs.activities.crypto;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.thinkheads.phoenix.certs.workflows.model.KeyAlgorithm;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.Security;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class KeyPairsTest {

  /**
   * SSHJ registers BouncyCastle as a JCA provider; keys parsed afterwards may name their algorithm "ECDSA" while
   * certificates say "EC". A pair must still be recognised as a pair (this once made every SSH rollback fail).
   */
  @ParameterizedTest
  @EnumSource(value = KeyAlgorithm.class, names = {"ECDSA_P256", "RSA_2048"})
  void aPairMatchesWhateverProviderParsedTheKey(KeyAlgorithm algorithm) throws Exception {
    KeyPair pair = KeyPairs.generate(algorithm);
    KeyPair other = KeyPairs.generate(algorithm);
    String pem = Pem.encode(pair.getPrivate());
    boolean added = Security.getProvider("BC") == null;
    if (added) {
      Security.insertProviderAt(new BouncyCastleProvider(), 1);
    }
    try {
      PrivateKey parsed = Pem.privateKey(pem);
      assertTrue(KeyPairs.matches(parsed, pair.getPublic()), parsed.getAlgorithm() + " key vs its public key");
      assertFalse(KeyPairs.matches(parsed, other.getPublic()));
    } finally {
      if (added) {
        Security.removeProvider("BC");
      }
    }
  }
}
