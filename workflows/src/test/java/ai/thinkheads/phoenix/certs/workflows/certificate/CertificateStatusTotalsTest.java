package ai.thinkheads.phoenix.certs.workflows.certificate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateStatus.Outcome;
import io.temporal.api.common.v1.Payload;
import io.temporal.common.converter.DefaultDataConverter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The totals metrics read (failed, rolled back, last failure) are carried in the status, also from old runs. */
class CertificateStatusTotalsTest {

  private static final Instant T1 = Instant.parse("2026-01-01T00:00:00Z");
  private static final Instant T2 = Instant.parse("2026-01-02T00:00:00Z");
  private static final Instant T3 = Instant.parse("2026-01-03T00:00:00Z");

  @Test
  void failuresAndRollbacksAreCountedApartAndSurviveASuccess() {
    CertificateStatus status = CertificateStatus.initial("web", "lxc/101")
        .failed(Outcome.FAILED, "IssuerUnavailable", "CA down", T1)
        .failed(Outcome.ROLLED_BACK, "VerifyFailed", "served the old serial", T2)
        .failed(Outcome.FAILED, "IssuerUnavailable", "CA down", T3);
    assertEquals(2, status.failures());
    assertEquals(1, status.rollbacks());
    assertEquals(T3, status.lastFailure());
    CertificateStatus renewed = status.succeeded(Outcome.RENEWED, T3.plusSeconds(60));
    assertEquals(1, renewed.renewals());
    assertEquals(0, renewed.consecutiveFailures());
    assertEquals(2, renewed.failures());
    assertEquals(1, renewed.rollbacks());
    assertEquals(T3, renewed.lastFailure(), "a success keeps when the last failure was");
  }

  @Test
  void everyChangeKeepsTheTotals() {
    CertificateStatus failed = CertificateStatus.initial("web", "lxc/101")
        .failed(Outcome.FAILED, "IssuerUnavailable", "CA down", T1)
        .failed(Outcome.ROLLED_BACK, "VerifyFailed", "served the old serial", T2);
    List<CertificateStatus> changed = List.of(failed.withGuest("lxc/102"), failed.withPhase("continuing"),
        failed.withLive("01", T3), failed.withNextRenewal(T3), failed.withNote(null), failed.withNote("n"),
        failed.succeeded(Outcome.UNCHANGED, T3));
    for (CertificateStatus status : changed) {
      assertEquals(1, status.failures(), status.toString());
      assertEquals(1, status.rollbacks(), status.toString());
      assertEquals(T2, status.lastFailure(), status.toString());
    }
  }

  @Test
  void roundTripsThroughTemporalsConverterAndOldStatusesReadAsZero() {
    CertificateStatus status = CertificateStatus.initial("web", "lxc/101")
        .failed(Outcome.ROLLED_BACK, "VerifyFailed", "x", T2);
    var converter = DefaultDataConverter.newDefaultInstance();
    Payload payload = converter.toPayload(status).orElseThrow();
    assertEquals(status, converter.fromPayload(payload, CertificateStatus.class, CertificateStatus.class));

    String old = "{\"name\":\"web\",\"guestId\":\"lxc/101\",\"phase\":\"waiting\",\"lastOutcome\":\"RENEWED\","
        + "\"renewals\":3,\"consecutiveFailures\":0}";
    Payload oldPayload = payload.toBuilder()
        .setData(com.google.protobuf.ByteString.copyFrom(old, StandardCharsets.UTF_8)).build();
    CertificateStatus read = converter.fromPayload(oldPayload, CertificateStatus.class, CertificateStatus.class);
    assertEquals(3, read.renewals());
    assertEquals(0, read.failures());
    assertEquals(0, read.rollbacks());
    assertNull(read.lastFailure());
  }
}
