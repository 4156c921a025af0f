package ai.thinkheads.phoenix.certs.activities.issuer.stepca;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.thinkheads.phoenix.certs.activities.crypto.CertificateFacts;
import ai.thinkheads.phoenix.certs.activities.issuer.IssuedCertificate;
import ai.thinkheads.phoenix.certs.activities.testing.stepca.StepCaExtension;
import ai.thinkheads.phoenix.certs.activities.testing.stepca.StepCaServer;
import ai.thinkheads.phoenix.certs.workflows.model.KeyAlgorithm;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Signing through the JWK provisioner of a real step-ca. */
@ExtendWith(StepCaExtension.class)
class StepCaIssueTest {

  private static StepCaServer ca;
  private static StepCaIssuer issuer;

  @BeforeAll
  static void connect(StepCaServer server) {
    ca = server;
    issuer = new StepCaIssuer(server.config());
  }

  @Test
  void issuesAnEcdsaCertificateThatChainsToThePinnedRoot() {
    Requests r = Requests.of(KeyAlgorithm.ECDSA_P256, null, "app.internal.test", "127.0.0.1");
    IssuedCertificate issued = issuer.issue(r.request());

    assertEquals(ca.root(), issuer.root(), "the pinned root is the CA's root");
    assertEquals(ca.root(), issued.root());
    assertNull(AnswerCheck.chainProblem(issued.chain(), ca.root(), Instant.now()));
    assertEquals(2, issued.chain().size(), "leaf and intermediate, without the root");
    assertEquals(r.keys().getPublic(), issued.leaf().getPublicKey());
    assertEquals(Set.of("app.internal.test", "127.0.0.1"), Set.copyOf(CertificateFacts.sansOf(issued.leaf())));
    Duration lifetime = Duration.between(issued.leaf().getNotBefore().toInstant(),
        issued.leaf().getNotAfter().toInstant());
    assertEquals(Duration.ofHours(24).plus(StepCaIssuer.BACKDATE), lifetime, "the provisioner's default, backdated");
  }

  @Test
  void issuesAnRsaCertificate() {
    Requests r = Requests.of(KeyAlgorithm.RSA_2048, Duration.ofHours(2), "rsa.internal.test");
    IssuedCertificate issued = issuer.issue(r.request());

    assertEquals(2048, ((RSAPublicKey) issued.leaf().getPublicKey()).getModulus().bitLength());
    assertEquals(List.of("rsa.internal.test"), CertificateFacts.sansOf(issued.leaf()));
    Instant notAfter = issued.leaf().getNotAfter().toInstant();
    assertTrue(Duration.between(Instant.now().plus(Duration.ofHours(2)), notAfter).abs().toSeconds() < 60,
        "the requested two hours, got notAfter " + notAfter);
  }

  @Test
  void issuesAWildcard() {
    Requests r = Requests.of(KeyAlgorithm.ECDSA_P384, null, "*.apps.internal.test");
    IssuedCertificate issued = issuer.issue(r.request());

    assertEquals(List.of("*.apps.internal.test"), CertificateFacts.sansOf(issued.leaf()));
    assertEquals("CN=*.apps.internal.test", issued.leaf().getSubjectX500Principal().getName());
  }

  @Test
  void findsTheProvisionerAcrossPages() {
    StepCaClient client = new StepCaClient(ca.url(), issuer.pinnedTls());
    assertEquals(ca.provisioner(), Provisioners.findJwk(client, ca.provisioner(), 1).name());
    assertEquals("other", Provisioners.findJwk(client, "other", 1).name());
    var missing = org.junit.jupiter.api.Assertions.assertThrows(
        ai.thinkheads.phoenix.certs.activities.steps.StepFailedException.class,
        () -> Provisioners.findJwk(client, "nobody", 1));
    // one provisioner per page: naming all three proves every page was read
    assertTrue(missing.getMessage().contains("phoenix (JWK)") && missing.getMessage().contains("other (JWK)")
        && missing.getMessage().contains("acme (ACME)"), missing.getMessage());
  }
}
