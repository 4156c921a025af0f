package ai.thinkheads.phoenix.certs.activities.issuer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.thinkheads.phoenix.certs.activities.crypto.CertificateFacts;
import ai.thinkheads.phoenix.certs.activities.crypto.Csrs;
import ai.thinkheads.phoenix.certs.activities.crypto.KeyPairs;
import ai.thinkheads.phoenix.certs.workflows.model.KeyAlgorithm;
import ai.thinkheads.phoenix.certs.workflows.model.KeyUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class LocalCaIssuerTest {

  @TempDir
  Path dir;

  @ParameterizedTest
  @EnumSource(KeyAlgorithm.class)
  void issuedChainsPassPkixValidationForEveryKeyType(KeyAlgorithm algorithm) throws Exception {
    LocalCaIssuer issuer = new LocalCaIssuer(dir, "Test");
    IssuedCertificate issued = issue(issuer, algorithm, List.of("*.internal.thinkheads.ai", "10.0.0.5", "::1"),
        List.of(KeyUsage.SERVER, KeyUsage.CLIENT), Duration.ofHours(1));

    pkixValidate(issued.chain(), issuer.root());
    X509Certificate leaf = issued.leaf();
    assertEquals(List.of("*.internal.thinkheads.ai", "10.0.0.5", "0:0:0:0:0:0:0:1"), CertificateFacts.sansOf(leaf));
    assertEquals(algorithm, KeyPairs.algorithmOf(leaf.getPublicKey()).orElseThrow());
    assertEquals(List.of("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2"), leaf.getExtendedKeyUsage());
    assertEquals(-1, leaf.getBasicConstraints(), "a leaf must not be a CA");
    long lifetime = leaf.getNotAfter().getTime() - leaf.getNotBefore().getTime();
    assertEquals(Duration.ofHours(1).plus(LocalCaIssuer.backdate(Duration.ofHours(1))).toMillis(), lifetime, 1000);
  }

  @Test
  void clientOnlyCertificateCarriesOnlyClientAuth() throws Exception {
    LocalCaIssuer issuer = new LocalCaIssuer(dir, "Test");
    X509Certificate leaf = issue(issuer, KeyAlgorithm.ECDSA_P256, List.of("agent.phoenix.local"),
        List.of(KeyUsage.CLIENT), null).leaf();
    assertEquals(List.of("1.3.6.1.5.5.7.3.2"), leaf.getExtendedKeyUsage());
  }

  @Test
  void aChainFromAnotherCaFailsValidation() {
    IssuedCertificate issued = issue(new LocalCaIssuer(dir.resolve("a"), "A"), KeyAlgorithm.ECDSA_P256,
        List.of("a.test"), List.of(KeyUsage.SERVER), null);
    X509Certificate otherRoot = new LocalCaIssuer(dir.resolve("b"), "B").root();
    assertThrows(CertPathValidatorException.class, () -> pkixValidate(issued.chain(), otherRoot));
  }

  @Test
  void caKeysAre0600AndTheCaIsNeverOverwritten() throws Exception {
    X509Certificate first = new LocalCaIssuer(dir, "Test").root();
    String rootKey = Files.readString(dir.resolve(LocalCa.ROOT_KEY));
    X509Certificate second = new LocalCaIssuer(dir, "Test").root();

    assertEquals(first, second, "a second start must load the same root, not make a new one");
    assertEquals(rootKey, Files.readString(dir.resolve(LocalCa.ROOT_KEY)));
    for (String key : List.of(LocalCa.ROOT_KEY, LocalCa.INTERMEDIATE_KEY)) {
      assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(dir.resolve(key)));
    }
    assertTrue(Files.readString(dir.resolve(LocalCa.ROOT_KEY)).startsWith("-----BEGIN PRIVATE KEY-----"));
  }

  @Test
  void aCertificateWithoutItsKeyIsAnErrorNotANewCa() throws Exception {
    new LocalCaIssuer(dir, "Test").root();
    Files.delete(dir.resolve(LocalCa.INTERMEDIATE_KEY));
    Exception e = assertThrows(RuntimeException.class, () -> new LocalCaIssuer(dir, "Test").root());
    assertTrue(e.getMessage().contains("intermediate_ca.key is missing"), e.getMessage());
  }

  @Test
  void noSanIsRejected() {
    LocalCaIssuer issuer = new LocalCaIssuer(dir, "Test");
    assertThrows(IssuerRejectedException.class,
        () -> issue(issuer, KeyAlgorithm.ECDSA_P256, List.of(), List.of(KeyUsage.SERVER), null));
  }

  static IssuedCertificate issue(Issuer issuer, KeyAlgorithm algorithm, List<String> sans, List<KeyUsage> usages,
      Duration lifetime) {
    KeyPair keys = KeyPairs.generate(algorithm);
    String cn = sans.isEmpty() ? "none" : sans.get(0);
    return issuer.issue(new IssueRequest("test", Csrs.create(keys, cn, sans), cn, sans, usages, lifetime));
  }

  static void pkixValidate(List<X509Certificate> chain, X509Certificate root) throws Exception {
    PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(root, null)));
    parameters.setRevocationEnabled(false);
    CertPathValidator.getInstance("PKIX").validate(
        CertificateFactory.getInstance("X.509").generateCertPath(chain), parameters);
  }
}
