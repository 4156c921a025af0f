package ai.thinkheads.phoenix.certs.workflows.certificate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateStatus.Outcome;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * CertificateWorkflowImpl's renewal cycle when its steps succeed, on the time-skipping test environment with
 * scripted steps: what starts an attempt (no pair, the renewal point, renewNow, an inventory change), which steps
 * it calls in which order (and that nothing else ran), the status it leaves, and what the workflow does next.
 */
class RenewalCycleTest {

  /** A full cycle of a pair with serial {@code serial}, with every step the default policy has. */
  static List<String> renewal(String serial) {
    return List.of("issueAndStage", "activate " + serial, "validate", "reload", "verify " + serial, "settle");
  }

  static List<String> concat(List<String> first, List<String> second) {
    return Stream.concat(first.stream(), second.stream()).toList();
  }

  private CertificateCycle cycle;

  @AfterEach
  void close() {
    if (cycle != null) {
      cycle.close();
    }
  }

  @Test
  void aTargetWithoutAPairIsIssuedOneAtOnce() {
    cycle = new CertificateCycle();

    CertificateStatus status = cycle.start();

    assertEquals(concat(List.of("inspect"), renewal("01")), cycle.target.calls());
    StagedCertificate issued = cycle.target.issued().get(0);
    assertEquals(Outcome.ISSUED, status.lastOutcome());
    assertEquals("01", status.serial());
    assertEquals(issued.notAfter(), status.notAfter());
    assertEquals("lxc/101", status.guestId());
    assertEquals(1, status.renewals());
    assertEquals(0, status.consecutiveFailures());
    assertNull(status.lastError());
    assertNull(status.failure());
    assertEquals(twoThirds(issued.notBefore(), issued.notAfter()), status.nextRenewal());
    assertTrue(status.phase().startsWith("waiting until"), status.phase());
    assertNull(cycle.target.backup(), "a first pair has nothing to keep as backup");

    // nothing more happens until the new pair's renewal point
    cycle.sleep(Duration.between(cycle.now(), status.nextRenewal()).minusMinutes(1));
    assertEquals(7, cycle.target.calls().size());
  }

  @Test
  void aPairThatIsNotDueIsOnlyInspected() {
    cycle = new CertificateCycle();
    Instant notBefore = cycle.start.minus(Duration.ofHours(1));
    cycle.target.holding(notBefore, notBefore.plus(Duration.ofHours(24)));

    CertificateStatus status = cycle.start();

    assertEquals(List.of("inspect"), cycle.target.calls());
    assertEquals(Outcome.UNCHANGED, status.lastOutcome());
    assertEquals("00", status.serial());
    assertEquals(notBefore.plus(Duration.ofHours(24)), status.notAfter());
    assertEquals(0, status.renewals());
    assertNull(status.lastError());
    assertEquals(twoThirds(notBefore, notBefore.plus(Duration.ofHours(24))), status.nextRenewal());

    // an inventory change that changes nothing for this pair: one more look, nothing else
    cycle.workflow().inventoryChanged();
    status = cycle.next();
    assertEquals(List.of("inspect", "inspect"), cycle.target.calls());
    assertEquals(Outcome.UNCHANGED, status.lastOutcome());
    assertEquals(twoThirds(notBefore, notBefore.plus(Duration.ofHours(24))), status.nextRenewal());
  }

  @Test
  void aPairIsRenewedAtTwoThirdsOfItsLifetime() {
    cycle = new CertificateCycle();
    Instant notBefore = cycle.start.minus(Duration.ofHours(1));
    Instant notAfter = notBefore.plus(Duration.ofHours(24));
    cycle.target.holding(notBefore, notAfter);
    CertificateStatus waiting = cycle.start();
    Instant point = waiting.nextRenewal();
    assertEquals(twoThirds(notBefore, notAfter), point);

    cycle.sleep(Duration.between(cycle.now(), point).minusMinutes(1));
    assertEquals(List.of("inspect"), cycle.target.calls(), "nothing before the renewal point");

    CertificateStatus status = cycle.sleepPast(point);

    assertEquals(concat(List.of("inspect", "inspect"), renewal("01")), cycle.target.calls());
    StagedCertificate issued = cycle.target.issued().get(0);
    assertTrue(!issued.notBefore().isBefore(point), "issued at the renewal point, not before");
    assertEquals(Outcome.RENEWED, status.lastOutcome());
    assertEquals("01", status.serial());
    assertEquals(1, status.renewals());
    assertEquals(twoThirds(issued.notBefore(), issued.notAfter()), status.nextRenewal());
    assertEquals("00", cycle.target.backup().serial(), "settled: the replaced pair is the backup");
  }

  @Test
  void renewNowRenewsAPairThatIsNotDue() {
    cycle = new CertificateCycle();
    Instant notBefore = cycle.start.minus(Duration.ofHours(1));
    cycle.target.holding(notBefore, notBefore.plus(Duration.ofHours(24)));
    cycle.start();

    cycle.workflow().renewNow();
    CertificateStatus status = cycle.next();

    assertEquals(concat(List.of("inspect", "inspect"), renewal("01")), cycle.target.calls());
    assertEquals(Outcome.RENEWED, status.lastOutcome());
    assertEquals("01", status.serial());
    assertEquals(1, status.renewals());
    StagedCertificate issued = cycle.target.issued().get(0);
    assertEquals(twoThirds(issued.notBefore(), issued.notAfter()), status.nextRenewal());

    // served once: the next run waits for the new pair's renewal point
    cycle.sleep(Duration.ofHours(1));
    assertEquals(8, cycle.target.calls().size());
  }

  @Test
  void stepsThePolicyLeavesOutAreNotCalled() {
    cycle = new CertificateCycle(ScriptedTarget.policy(false, false, false, List.of()));

    CertificateStatus status = cycle.start();

    assertEquals(List.of("inspect", "issueAndStage", "activate 01", "settle"), cycle.target.calls());
    assertEquals(Outcome.ISSUED, status.lastOutcome());
  }

  @Test
  void aCertificateThatComesAfterOthersWaitsForThemBetweenIssueAndActivate() {
    cycle = new CertificateCycle(ScriptedTarget.policy(true, true, true, List.of("db")));

    CertificateStatus status = cycle.start();

    assertEquals(List.of("inspect", "issueAndStage", "activate 01", "validate", "reload", "verify 01", "settle"),
        cycle.target.calls());
    assertEquals(Outcome.ISSUED, status.lastOutcome());
    assertEquals("went ahead without waiting: cert/db is not running", status.note());
  }

  /** The renewal point of the default policy: 2/3 of the lifetime (the policy has no jitter). */
  /** Two thirds of the lifetime, spread later by at most a tenth of the rest (the same for the same pair). */
  static Instant twoThirds(Instant notBefore, Instant notAfter) {
    Instant point = RenewalPolicy.renewalPoint(ScriptedTarget.policy(), notBefore, notAfter);
    Duration twoThirds = Duration.between(notBefore, notAfter).multipliedBy(2).dividedBy(3);
    assertTrue(Duration.between(notBefore.plus(twoThirds), point).abs().toMillis() <= 1, point.toString());
    Instant spread = RenewalPolicy.spread(CertificateCycle.NAME, point, notAfter);
    assertTrue(!spread.isBefore(point) && !spread.isAfter(point.plus(Duration.between(point, notAfter)
        .dividedBy(10))), spread + " is not within a tenth of the margin after " + point);
    return spread;
  }
}
