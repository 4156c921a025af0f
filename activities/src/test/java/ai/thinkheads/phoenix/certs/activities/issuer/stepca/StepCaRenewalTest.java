package ai.thinkheads.phoenix.certs.activities.issuer.stepca;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.thinkheads.phoenix.certs.activities.crypto.CertificateFacts;
import ai.thinkheads.phoenix.certs.activities.crypto.KeyPairs;
import ai.thinkheads.phoenix.certs.activities.issuer.HeldCertificate;
import ai.thinkheads.phoenix.certs.activities.issuer.IssuedCertificate;
import ai.thinkheads.phoenix.certs.activities.issuer.RevocationReason;
import ai.thinkheads.phoenix.certs.activities.testing.stepca.StepCaExtension;
import ai.thinkheads.phoenix.certs.activities.testing.stepca.StepCaServer;
import ai.thinkheads.phoenix.certs.workflows.model.KeyAlgorithm;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Renewal and rekey over mTLS, revocation, and the fall back to the provisioner. */
@ExtendWith(StepCaExtension.class)
class StepCaRenewalTest {

  private static StepCaServer ca;
  private static StepCaIssuer issuer;

  @BeforeAll
  static void connect(StepCaServer server) {
    ca = server;
    issuer = new StepCaIssuer(server.config());
  }

  @Test
  void renewsOverMtlsKeepingKeyNamesAndLifetime() {
    Requests r = Requests.of(KeyAlgorithm.ECDSA_P256, Duration.ofHours(1), "renew.internal.test");
    IssuedCertificate first = issuer.issue(r.request());
    StepCaIssuer.Activity before = issuer.activity();

    IssuedCertificate renewed = issuer.renew(r.held(first));

    X509Certificate leaf = renewed.leaf();
    assertNotEquals(first.leaf().getSerialNumber(), leaf.getSerialNumber());
    assertEquals(r.keys().getPublic(), leaf.getPublicKey());
    assertEquals(List.of("renew.internal.test"), CertificateFacts.sansOf(leaf));
    assertEquals(lifetime(first.leaf()), lifetime(leaf));
    assertNull(AnswerCheck.chainProblem(renewed.chain(), ca.root(), Instant.now()));
    assertEquals(before.renewed() + 1, issuer.activity().renewed());
    assertEquals(before.signed(), issuer.activity().signed(), "no provisioner token for a renewal");
  }

  @Test
  void reissueRenewsWhenTheKeyIsKeptAndRekeysWhenItRotates() {
    Requests r = Requests.of(KeyAlgorithm.ECDSA_P256, null, "rekey.internal.test");
    IssuedCertificate first = issuer.issue(r.request());
    HeldCertificate held = r.held(first);
    StepCaIssuer.Activity before = issuer.activity();

    IssuedCertificate kept = issuer.reissue(r.request(), held);
    assertEquals(r.keys().getPublic(), kept.leaf().getPublicKey());
    assertEquals(before.renewed() + 1, issuer.activity().renewed());

    Requests rotated = Requests.of(KeyAlgorithm.ECDSA_P256, null, "rekey.internal.test");
    IssuedCertificate rekeyed = issuer.reissue(rotated.request(), held);
    assertEquals(rotated.keys().getPublic(), rekeyed.leaf().getPublicKey());
    assertNotEquals(r.keys().getPublic(), rekeyed.leaf().getPublicKey());
    assertEquals(List.of("rekey.internal.test"), CertificateFacts.sansOf(rekeyed.leaf()));
    assertEquals(before.rekeyed() + 1, issuer.activity().rekeyed());
    assertEquals(before.signed(), issuer.activity().signed(), "neither path used the provisioner");
  }

  @Test
  void reissueSignsAfreshWhenTheNamesChange() {
    Requests r = Requests.of(KeyAlgorithm.ECDSA_P256, null, "old.internal.test");
    HeldCertificate held = r.held(issuer.issue(r.request()));
    StepCaIssuer.Activity before = issuer.activity();

    Requests renamed = Requests.of(KeyPairs.generate(KeyAlgorithm.ECDSA_P256), null, "new.internal.test");
    IssuedCertificate issued = issuer.reissue(renamed.request(), held);

    assertEquals(List.of("new.internal.test"), CertificateFacts.sansOf(issued.leaf()));
    assertEquals(before.signed() + 1, issuer.activity().signed());
    assertEquals(before.rekeyed(), issuer.activity().rekeyed());
  }

  @Test
  void aRevokedCertificateIsNotRenewed() {
    Requests r = Requests.of(KeyAlgorithm.ECDSA_P256, null, "revoked.internal.test");
    IssuedCertificate issued = issuer.issue(r.request());
    HeldCertificate held = r.held(issued);

    issuer.revoke(issued.leaf(), RevocationReason.KEY_COMPROMISE);
    assertDoesNotThrow(() -> issuer.revoke(issued.leaf(), RevocationReason.KEY_COMPROMISE), "revoking is idempotent");

    RenewalRefusedException refused = assertThrows(RenewalRefusedException.class, () -> issuer.renew(held));
    assertTrue(refused.getMessage().contains("HTTP 401"), refused.getMessage());
    // Same key: the issuer must not quietly re-sign a key someone revoked.
    assertThrows(RenewalRefusedException.class, () -> issuer.reissue(r.request(), held));

    // A new key: the rekey is refused too, so the issuer goes back to its provisioner.
    StepCaIssuer.Activity before = issuer.activity();
    Requests rotated = Requests.of(KeyAlgorithm.ECDSA_P256, null, "revoked.internal.test");
    IssuedCertificate replacement = issuer.reissue(rotated.request(), held);
    assertEquals(rotated.keys().getPublic(), replacement.leaf().getPublicKey());
    assertEquals(before.signed() + 1, issuer.activity().signed());
  }

  @Test
  void anExpiredCertificateIsRenewedThroughTheProvisioner() throws InterruptedException {
    Requests r = Requests.of(KeyAlgorithm.ECDSA_P256, Duration.ofSeconds(3), "expiring.internal.test");
    IssuedCertificate issued = issuer.issue(r.request());
    HeldCertificate held = r.held(issued);
    Duration untilExpired = Duration.between(Instant.now(), issued.leaf().getNotAfter().toInstant());
    Thread.sleep(Math.max(0, untilExpired.toMillis()) + 1500);

    // step-ca renews only valid certificates: the issuer says so instead of making a doomed mTLS call.
    RenewalRefusedException refused = assertThrows(RenewalRefusedException.class, () -> issuer.renew(held));
    assertTrue(refused.getMessage().contains("expired at"), refused.getMessage());

    StepCaIssuer.Activity before = issuer.activity();
    Requests again = Requests.of(r.keys(), Duration.ofHours(1), "expiring.internal.test");
    IssuedCertificate fresh = issuer.reissue(again.request(), held);
    assertTrue(fresh.leaf().getNotAfter().toInstant().isAfter(Instant.now().plus(Duration.ofMinutes(50))));
    assertEquals(before.signed() + 1, issuer.activity().signed());
    assertEquals(before.renewed(), issuer.activity().renewed());
  }

  private static Duration lifetime(X509Certificate leaf) {
    return Duration.between(leaf.getNotBefore().toInstant(), leaf.getNotAfter().toInstant());
  }
}
