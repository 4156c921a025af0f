package ai.thinkheads.phoenix.certs.activities.issuer.stepca;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.thinkheads.phoenix.certs.activities.issuer.IssuedCertificate;
import ai.thinkheads.phoenix.certs.activities.testing.stepca.StepCaExtension;
import ai.thinkheads.phoenix.certs.activities.testing.stepca.StepCaServer;
import ai.thinkheads.phoenix.certs.workflows.model.KeyAlgorithm;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The CA goes away mid-run: the issuer retries, and succeeds once it is back; or gives up, retryably. */
@ExtendWith(StepCaExtension.class)
class StepCaOutageTest {

  private StepCaServer ca;

  @AfterEach
  void restart() {
    ca.start(); // whatever happened, the next test class finds the CA up
  }

  @Test
  void aCaStoppedMidRunIsRetriedUntilItIsBack(StepCaServer server) throws Exception {
    ca = server;
    StepCaIssuer issuer = new StepCaIssuer(server.config(),
        new RetryPolicy(30, Duration.ofMillis(200), Duration.ofSeconds(1)), Clock.systemUTC());
    issuer.issue(Requests.of(KeyAlgorithm.ECDSA_P256, null, "before.internal.test").request());

    long pid = server.pid();
    server.stop();
    CompletableFuture<IssuedCertificate> during = CompletableFuture.supplyAsync(() ->
        issuer.issue(Requests.of(KeyAlgorithm.ECDSA_P256, null, "during.internal.test").request()));
    Thread.sleep(1500);
    assertTrue(!during.isDone(), "the issuer waits for the CA rather than failing at once");
    server.start();

    IssuedCertificate issued = during.get(30, TimeUnit.SECONDS);
    assertEquals("CN=during.internal.test", issued.leaf().getSubjectX500Principal().getName());
    assertTrue(issuer.activity().retries() > 0, "it got there by retrying: " + issuer.activity());
    assertTrue(server.pid() != pid, "a new step-ca process answered");
  }

  @Test
  void aCaThatStaysDownFailsRetryably(StepCaServer server) {
    ca = server;
    StepCaIssuer issuer = new StepCaIssuer(server.config());
    issuer.root(); // pinned while the CA was up
    server.stop();

    StepCaUnavailableException e = assertThrows(StepCaUnavailableException.class, () ->
        issuer.issue(Requests.of(KeyAlgorithm.ECDSA_P256, null, "down.internal.test").request()));
    assertTrue(e.getMessage().contains(server.url().toString()) && e.getMessage().contains("failed 3 time(s)"),
        e.getMessage());
    assertEquals(RetryPolicy.DEFAULT.attempts() - 1, issuer.activity().retries());
  }
}
