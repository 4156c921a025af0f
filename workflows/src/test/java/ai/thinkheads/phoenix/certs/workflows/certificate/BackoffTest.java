package ai.thinkheads.phoenix.certs.workflows.certificate;

import static ai.thinkheads.phoenix.certs.workflows.certificate.RenewalCycleTest.concat;
import static ai.thinkheads.phoenix.certs.workflows.certificate.RenewalCycleTest.renewal;
import static ai.thinkheads.phoenix.certs.workflows.certificate.RenewalFailureTest.assertFailed;
import static ai.thinkheads.phoenix.certs.workflows.certificate.RenewalFailureTest.backoff;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateStatus.Outcome;
import ai.thinkheads.phoenix.certs.workflows.failure.FailureType;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * CertificateWorkflowImpl's one failure policy, on the time-skipping test environment with scripted steps: a
 * failed attempt backs off (10 s, doubling), a renewNow during the backoff waits for its end and is served then,
 * renewForce makes exactly one attempt, an inventory change ends the backoff; settle follows only a verified
 * renewal.
 */
class BackoffTest {

  private CertificateCycle cycle;
  private Instant notAfter;

  @AfterEach
  void close() {
    if (cycle != null) {
      cycle.close();
    }
  }

  /** A target holding "00", 20 h into its 24 h: past its renewal point. */
  private void due() {
    cycle = new CertificateCycle();
    notAfter = cycle.start.plus(Duration.ofHours(4));
    cycle.target.holding(notAfter.minus(Duration.ofHours(24)), notAfter);
  }

  /** A failed attempt on a renewal that is due: everything the rollback does, and no settle. */
  private static List<String> rolledBack(String serial) {
    return List.of("inspect", "issueAndStage", "activate " + serial, "validate", "rollback", "reload", "verify 00");
  }

  @Test
  void consecutiveFailuresDoubleTheBackoffFromTenSecondsAndASuccessResetsIt() {
    due();
    cycle.target.fail("validate", 3, FailureType.VALIDATION_FAILED, "nginx -t: unknown directive");

    CertificateStatus first = cycle.start();
    CertificateStatus second = cycle.sleepPast(first.nextRenewal());
    CertificateStatus third = cycle.sleepPast(second.nextRenewal());

    assertEquals(1, first.consecutiveFailures());
    assertEquals(Duration.ofSeconds(10), backoff(first));
    assertEquals(2, second.consecutiveFailures());
    assertEquals(Duration.ofSeconds(20), backoff(second));
    assertEquals(3, third.consecutiveFailures());
    assertEquals(Duration.ofSeconds(40), backoff(third));
    assertFailed(third, Outcome.ROLLED_BACK, FailureType.VALIDATION_FAILED,
        "Validate: nginx -t: unknown directive; rolled back to 00", 3);
    assertEquals(concat(concat(rolledBack("01"), rolledBack("02")), rolledBack("03")), cycle.target.calls());
    assertEquals(0, cycle.target.count("settle"), "never settled after a failure");

    CertificateStatus renewed = cycle.sleepPast(third.nextRenewal());
    assertEquals(concat(List.of("inspect"), renewal("04")), cycle.target.callsFrom(21));
    assertEquals(Outcome.RENEWED, renewed.lastOutcome());
    assertEquals(0, renewed.consecutiveFailures());
    assertEquals(1, cycle.target.count("settle"));
  }

  @Test
  void renewNowDuringABackoffWaitsForItsEndAndIsServedThen() {
    cycle = new CertificateCycle();
    Instant notBefore = cycle.start.minus(Duration.ofHours(1));
    cycle.target.holding(notBefore, notBefore.plus(Duration.ofHours(24)))
        .failOnce("inspect", FailureType.AUTHENTICATION_FAILED, "root@pve refused the ssh key");
    CertificateStatus failed = cycle.start();
    assertFailed(failed, Outcome.FAILED, FailureType.AUTHENTICATION_FAILED, "Inspect: root@pve refused the ssh key",
        1);
    // needs a change, nothing known of the pair yet: 5 min (long enough that the wall clock never reaches it)
    assertEquals(Duration.ofMinutes(5), backoff(failed));

    cycle.workflow().renewNow();
    CertificateStatus backingOff = cycle.sameRun();
    assertTrue(backingOff.phase().startsWith("backing off until " + failed.nextRenewal()), backingOff.phase());
    assertEquals(failed.nextRenewal(), backingOff.nextRenewal(), "the request does not end the backoff");

    cycle.sleep(Duration.between(cycle.now(), failed.nextRenewal()).minusSeconds(30));
    assertEquals(List.of("inspect"), cycle.target.calls(), "no attempt before the backoff ends");
    assertEquals(0, cycle.target.count("issueAndStage"));

    // the pair is not due: only the remembered request renews it
    CertificateStatus renewed = cycle.sleepPast(failed.nextRenewal());
    assertEquals(concat(List.of("inspect", "inspect"), renewal("01")), cycle.target.calls());
    assertEquals(Outcome.RENEWED, renewed.lastOutcome());
    assertTrue(!renewed.lastAttempt().isBefore(failed.nextRenewal()), renewed.lastAttempt().toString());
    assertEquals(0, renewed.consecutiveFailures());
    cycle.sleep(Duration.ofHours(1));
    assertEquals(concat(List.of("inspect", "inspect"), renewal("01")), cycle.target.calls(), "served once");
  }

  @Test
  void renewForceDuringABackoffMakesExactlyOneAttempt() {
    due();
    cycle.target.fail("issueAndStage", 2, FailureType.ISSUER_REJECTED, "the CA refused: provisioner disabled");
    CertificateStatus failed = cycle.start();
    assertEquals(RenewalPolicy.maxRetryDelay(failed.lastAttempt(), notAfter), backoff(failed));

    cycle.workflow().renewForce();
    CertificateStatus forced = cycle.next();

    assertEquals(List.of("inspect", "issueAndStage", "inspect", "issueAndStage"), cycle.target.calls());
    assertFailed(forced, Outcome.FAILED, FailureType.ISSUER_REJECTED,
        "IssueAndStage: the CA refused: provisioner disabled", 2);
    assertTrue(forced.lastAttempt().isBefore(failed.nextRenewal()), "the backoff was cut short");
    assertEquals(RenewalPolicy.maxRetryDelay(forced.lastAttempt(), notAfter), backoff(forced),
        "and the failure backs off again");

    cycle.sleep(Duration.ofMinutes(10));
    assertEquals(2, cycle.target.count("issueAndStage"), "one attempt, never a loop");

    // the CA takes requests again: one more force renews
    cycle.workflow().renewForce();
    CertificateStatus renewed = cycle.next();
    assertEquals(concat(List.of("inspect"), renewal("01")), cycle.target.callsFrom(4));
    assertEquals(Outcome.RENEWED, renewed.lastOutcome());
    assertEquals(0, renewed.consecutiveFailures());
  }

  @Test
  void anInventoryChangeEndsABackoffAndTheNextAttemptUsesTheNewEntry() {
    due();
    cycle.target.failOnce("issueAndStage", FailureType.ISSUER_REJECTED, "the CA refused: SAN not allowed");
    CertificateStatus failed = cycle.start();
    assertEquals(RenewalPolicy.maxRetryDelay(failed.lastAttempt(), notAfter), backoff(failed));

    // the operator fixes the entry: a new digest, which every step of the next cycle must carry
    CertificatePolicy fixed = ScriptedTarget.policy();
    cycle.target.policy(new CertificatePolicy(fixed.name(), "digest-2", fixed.guestId(), fixed.issuer(),
        fixed.sans(), fixed.key(), fixed.usages(), fixed.lifetime(), fixed.renewAt(), fixed.renewBefore(),
        fixed.after(), fixed.validates(), fixed.reloads(), fixed.verifies(), fixed.deployedTo(), fixed.steps(),
        fixed.summary(), fixed.reloadKey()));
    cycle.workflow().inventoryChanged();
    CertificateStatus renewed = cycle.next();

    assertEquals(concat(List.of("inspect", "issueAndStage", "inspect"), renewal("01")), cycle.target.calls());
    assertEquals(Outcome.RENEWED, renewed.lastOutcome());
    assertTrue(renewed.lastAttempt().isBefore(failed.nextRenewal()), "at once, not when the backoff ends");
    assertEquals("digest-2", cycle.env.getWorkflowClient().newUntypedWorkflowStub(CertificateCycle.WORKFLOW_ID)
        .describe().getMemo(CertificateWorkflow.DIGEST_MEMO, String.class));
  }
}
