package ai.thinkheads.phoenix.certs.workflows.certificate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.thinkheads.phoenix.certs.workflows.model.CertificateFiles;
import ai.thinkheads.phoenix.certs.workflows.model.CertificateSpec;
import ai.thinkheads.phoenix.certs.workflows.model.KeyAlgorithm;
import ai.thinkheads.phoenix.certs.workflows.model.TargetSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RenewalPolicyTest {

  static final Instant NB = Instant.parse("2026-01-01T00:00:00Z");
  static final Instant NA = NB.plus(Duration.ofDays(90));

  @Test
  void renewsAtTwoThirdsByDefaultOrRenewBeforeExpiry() {
    assertEquals(NB.plus(Duration.ofDays(60)), RenewalPolicy.renewalPoint(spec(0, null), NB, NA));
    assertEquals(NA.minus(Duration.ofDays(7)), RenewalPolicy.renewalPoint(spec(0, Duration.ofDays(7)), NB, NA));
    assertEquals(NB.plus(Duration.ofDays(45)), RenewalPolicy.renewalPoint(spec(0.5, null), NB, NA));
    assertEquals(NB, RenewalPolicy.renewalPoint(spec(0, Duration.ofDays(365)), NB, NA), "never before notBefore");
  }

  @Test
  void aCertificateAlreadyPastItsRenewalPointWhenIssuedIsNotRenewedInALoop() {
    Instant nb = NB.minus(Duration.ofMinutes(1));
    Instant na = NB.plus(Duration.ofSeconds(30)); // backdated a minute, 30 s to live: 2/3 point is already past
    assertEquals(NB.plusSeconds(15), RenewalPolicy.nextAfterIssue(spec(0, null), nb, na, NB));
    assertEquals(NB.plus(Duration.ofDays(60)), RenewalPolicy.nextAfterIssue(spec(0, null), NB, NA, NB));
  }

  @Test
  void reasonsToIssue() {
    CertificatePolicy spec = spec(0, null);
    TargetState fine = new TargetState(true, null, "01", NB, NA, List.of("a.test"), KeyAlgorithm.ECDSA_P256, "f");
    Instant early = NB.plus(Duration.ofDays(1));
    assertEquals(Optional.empty(), RenewalPolicy.reasonToIssue(spec, fine, early, false));
    assertEquals("renewal requested", RenewalPolicy.reasonToIssue(spec, fine, early, true).orElseThrow());
    assertTrue(RenewalPolicy.reasonToIssue(spec, fine, NB.plus(Duration.ofDays(61)), false).orElseThrow()
        .startsWith("past its renewal point"));
    assertEquals("no certificate", RenewalPolicy.reasonToIssue(spec, TargetState.unusable("no certificate"), early,
        false).orElseThrow());
    TargetState otherNames = new TargetState(true, null, "01", NB, NA, List.of("A.test", "b.test"),
        KeyAlgorithm.ECDSA_P256, "f");
    assertTrue(RenewalPolicy.reasonToIssue(spec, otherNames, early, false).orElseThrow().startsWith("SANs differ"));
    TargetState rsa = new TargetState(true, null, "01", NB, NA, List.of("A.TEST"), KeyAlgorithm.RSA_2048, "f");
    assertEquals("key is rsa-2048, inventory wants ecdsa-p256",
        RenewalPolicy.reasonToIssue(spec, rsa, early, false).orElseThrow());
  }

  @Test
  void retryBackoffDoublesAndScalesWithTheRemainingLifetime() {
    Instant now = NB.plus(Duration.ofDays(60));
    assertEquals(Duration.ofSeconds(10), RenewalPolicy.retryDelay(now, NA, 1));
    assertEquals(Duration.ofSeconds(40), RenewalPolicy.retryDelay(now, NA, 3));
    assertEquals(Duration.ofHours(1), RenewalPolicy.retryDelay(now, NA, 30), "capped at an hour");
    Instant threeHoursLeft = NA.minus(Duration.ofHours(3));
    assertEquals(Duration.ofMinutes(18), RenewalPolicy.retryDelay(threeHoursLeft, NA, 30),
        "a tenth of what remains: minutes when hours remain");
    assertEquals(Duration.ofMinutes(5), RenewalPolicy.retryDelay(NA.plusSeconds(1), NA, 30), "expired: keep trying");
  }

  static CertificatePolicy spec(double renewAt, Duration renewBefore) {
    return new CertificateSpec("a", new TargetSpec("local", "local/a", Map.of()), "local", "a.test",
        List.of("a.test"), KeyAlgorithm.ECDSA_P256, null, null, renewAt, renewBefore,
        new CertificateFiles("/tmp/a.crt", "/tmp/a.key", null, null, null, null), null, null, null, List.of())
        .policy("d1");
  }

  @Test
  void renewalPointsOfCertificatesIssuedTogetherAreSpreadLaterWithinATenthOfTheMargin() {
    Instant point = RenewalPolicy.renewalPoint(spec(0, null), NB, NA);
    Duration tenth = Duration.between(point, NA).dividedBy(10);
    java.util.Set<Instant> points = new java.util.HashSet<>();
    for (int i = 0; i < 1000; i++) {
      Instant spread = RenewalPolicy.spread("cert-" + i, point, NA);
      assertTrue(!spread.isBefore(point) && spread.isBefore(point.plus(tenth)), spread.toString());
      assertEquals(spread, RenewalPolicy.spread("cert-" + i, point, NA), "the same certificate, the same point");
      points.add(spread);
    }
    assertTrue(points.size() > 990, "1000 certificates issued together fall due apart: " + points.size());
    long buckets = points.stream().map(p -> Duration.between(point, p).toMillis() * 10 / tenth.toMillis())
        .distinct().count();
    assertEquals(10, buckets, "spread over the whole window, not bunched");
    assertEquals(point, RenewalPolicy.spread("x", point, point), "nothing left to spread over");
  }
}
