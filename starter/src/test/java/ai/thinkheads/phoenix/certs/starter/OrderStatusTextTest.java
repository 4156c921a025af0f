package ai.thinkheads.phoenix.certs.starter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateStatus;
import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateStatus.Outcome;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** How the CLI reads and shows a certificate that waits for, or went ahead without, one it comes after. */
class OrderStatusTextTest {

  @Test
  void waitingForAPredecessorIsARenewalUnderWayWaitingUntilTheNextPointIsNot() {
    assertTrue(RenewCommand.inProgress("waiting for portainer-server"));
    assertFalse(RenewCommand.inProgress("waiting until 2026-01-01T00:00:00Z"));
  }

  @Test
  void theOutcomeCarriesTheNote() {
    CertificateStatus status = CertificateStatus.initial("client", "vm/1001")
        .withNote("went ahead without waiting: cert/portainer-server is not running (terminated)")
        .succeeded(Outcome.RENEWED, Instant.parse("2026-01-01T00:00:00Z"));
    assertEquals("renewed at 2026-01-01 00:00:00Z (went ahead without waiting: cert/portainer-server is not "
        + "running (terminated))", CertificateView.outcome(status));
  }
}
