package ai.thinkheads.phoenix.certs.activities.issuer.stepca;

import ai.thinkheads.phoenix.certs.workflows.failure.FailureType;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.thinkheads.phoenix.certs.activities.issuer.IssuedCertificate;
import ai.thinkheads.phoenix.certs.activities.issuer.IssuerRejectedException;
import ai.thinkheads.phoenix.certs.activities.steps.StepFailedException;
import ai.thinkheads.phoenix.certs.activities.testing.stepca.StepCaExtension;
import ai.thinkheads.phoenix.certs.activities.testing.stepca.StepCaServer;
import ai.thinkheads.phoenix.certs.workflows.model.KeyAlgorithm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** What the CA refuses, and what the issuer refuses: each a clear, correctly typed failure. */
@ExtendWith(StepCaExtension.class)
class StepCaRejectionTest {

  private static StepCaServer ca;
  private static StepCaIssuer issuer;

  @BeforeAll
  static void connect(StepCaServer server) {
    ca = server;
    issuer = new StepCaIssuer(server.config());
  }

  @Test
  void aSanOutsideThePolicyIsRejectedWithTheCasMessage() {
    Requests r = Requests.of(KeyAlgorithm.ECDSA_P256, null, "www.example.com");
    IssuerRejectedException e = assertThrows(IssuerRejectedException.class, () -> issuer.issue(r.request()));
    assertTrue(e.getMessage().contains("SAN www.example.com is outside the SAN policy of provisioner phoenix"),
        e.getMessage());
    assertTrue(e.getMessage().contains("HTTP 400") && e.getMessage().contains(ca.url().toString()), e.getMessage());
  }

  @Test
  void aLifetimeAboveTheMaximumIsRejectedWithTheCasMessage() {
    Requests r = Requests.of(KeyAlgorithm.ECDSA_P256, Duration.ofHours(100), "long.internal.test");
    IssuerRejectedException e = assertThrows(IssuerRejectedException.class, () -> issuer.issue(r.request()));
    assertTrue(e.getMessage().contains("HTTP 403"), e.getMessage());
    assertTrue(e.getMessage().contains("is more than the authorized maximum certificate duration"), e.getMessage());
  }

  @Test
  void aWrongFingerprintIsRefusedNamingBoth() {
    String wrong = "ab".repeat(32);
    StepCaIssuer untrusting = new StepCaIssuer(new StepCaConfig(ca.url(), wrong, ca.provisioner(),
        ca.passwordFile()));
    Requests r = Requests.of(KeyAlgorithm.ECDSA_P256, null, "pin.internal.test");

    StepFailedException e = assertThrows(StepFailedException.class, () -> untrusting.issue(r.request()));
    assertEquals(FailureType.ISSUER_UNTRUSTED, e.type());
    assertTrue(e.getMessage().contains(wrong) && e.getMessage().contains(ca.fingerprint()), e.getMessage());
    assertThrows(StepFailedException.class, untrusting::root, "nothing is trusted later either");
  }

  @Test
  void aWrongPasswordGivesAClearErrorWithoutThePassword(@TempDir Path dir) throws Exception {
    Path wrongFile = dir.resolve("wrong.pass");
    Files.writeString(wrongFile, "not-the-password-4711\n");
    int decryptions = ProvisionerKey.decryptions();
    StepCaIssuer locked = new StepCaIssuer(new StepCaConfig(ca.url(), ca.fingerprint(), ca.provisioner(),
        wrongFile));
    Requests r = Requests.of(KeyAlgorithm.ECDSA_P256, null, "pw.internal.test");

    StepFailedException e = assertThrows(StepFailedException.class, () -> locked.issue(r.request()));
    assertEquals(FailureType.AUTHENTICATION_FAILED, e.type());
    assertTrue(e.getMessage().contains("password is wrong") && e.getMessage().contains(wrongFile.toString()),
        e.getMessage());
    assertFalse(e.getMessage().contains("4711"), "the password never appears in a message");
    assertEquals(decryptions, ProvisionerKey.decryptions(), "a failed decryption is not counted or cached");

    StepCaIssuer missing = new StepCaIssuer(new StepCaConfig(ca.url(), ca.fingerprint(), ca.provisioner(),
        dir.resolve("absent.pass")));
    StepFailedException absent = assertThrows(StepFailedException.class, () -> missing.issue(r.request()));
    assertTrue(absent.getMessage().contains("cannot read the password file"), absent.getMessage());
  }

  @Test
  void refusedTokensAreRetriedFreshThenFailAsAuthentication() {
    // Ten minutes slow: every token has expired before the CA sees it.
    Clock slow = Clock.offset(Clock.systemUTC(), Duration.ofMinutes(-10));
    StepCaIssuer skewed = new StepCaIssuer(ca.config(), RetryPolicy.DEFAULT, slow);
    Requests r = Requests.of(KeyAlgorithm.ECDSA_P256, null, "skew.internal.test");

    StepFailedException e = assertThrows(StepFailedException.class, () -> skewed.issue(r.request()));
    assertEquals(FailureType.AUTHENTICATION_FAILED, e.type());
    assertTrue(e.getMessage().contains("refused 3 fresh tokens"), e.getMessage());
    assertEquals(StepCaIssuer.TOKEN_ATTEMPTS, skewed.activity().tokensRefused());
  }

  @Test
  void aTokenRefusedOnceIsReplacedByAFreshOne() {
    StepCaIssuer flaky = new StepCaIssuer(ca.config(), RetryPolicy.DEFAULT, new SlowAtFirst(1));
    Requests r = Requests.of(KeyAlgorithm.ECDSA_P256, null, "fresh.internal.test");

    IssuedCertificate issued = flaky.issue(r.request());
    assertEquals(r.keys().getPublic(), issued.leaf().getPublicKey());
    assertEquals(1, flaky.activity().tokensRefused());
  }

  /** A clock ten minutes slow for its first {@code n} readings (the first token), right afterwards. */
  private static final class SlowAtFirst extends Clock {
    private final AtomicInteger remaining;

    SlowAtFirst(int n) {
      remaining = new AtomicInteger(n);
    }

    @Override
    public Instant instant() {
      Instant now = Instant.now();
      return remaining.getAndDecrement() > 0 ? now.minus(Duration.ofMinutes(10)) : now;
    }

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }
}
