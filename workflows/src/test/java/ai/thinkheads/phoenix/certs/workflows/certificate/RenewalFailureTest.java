package ai.thinkheads.phoenix.certs.workflows.certificate;

import static ai.thinkheads.phoenix.certs.workflows.certificate.RenewalCycleTest.concat;
import static ai.thinkheads.phoenix.certs.workflows.certificate.RenewalCycleTest.renewal;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateStatus.Outcome;
import ai.thinkheads.phoenix.certs.workflows.failure.FailureType;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * CertificateWorkflowImpl when a step fails, on the time-skipping test environment with scripted steps: which
 * steps run after the failure (rollback, reload and verify of the restored serial; discard of a staged pair; and
 * never settle), the status it records (outcome, failure type, error text, next attempt), and what the workflow
 * does next. Every pair here is past its renewal point unless a test says otherwise, so each attempt renews.
 */
class RenewalFailureTest {

  private static final List<String> UP_TO_VALIDATE = List.of("inspect", "issueAndStage", "activate 01", "validate");
  private static final List<String> RESTORE_00 = List.of("rollback", "reload", "verify 00");

  private CertificateCycle cycle;
  private Instant notAfter;

  @AfterEach
  void close() {
    if (cycle != null) {
      cycle.close();
    }
  }

  /** A cycle whose target holds "00", 20 h into its 24 h: past its renewal point, 4 h left. */
  private CertificateCycle due(CertificatePolicy policy) {
    cycle = new CertificateCycle(policy);
    notAfter = cycle.start.plus(Duration.ofHours(4));
    cycle.target.holding(notAfter.minus(Duration.ofHours(24)), notAfter);
    return cycle;
  }

  private CertificateCycle due() {
    return due(ScriptedTarget.policy());
  }

  @Test
  void aConfigurationTheServiceRefusesIsRolledBackReloadedAndVerified() {
    due().target.failOnce("validate", FailureType.VALIDATION_FAILED, "nginx -t: unknown directive");

    CertificateStatus status = cycle.start();

    assertEquals(concat(UP_TO_VALIDATE, RESTORE_00), cycle.target.calls());
    assertFailed(status, Outcome.ROLLED_BACK, FailureType.VALIDATION_FAILED,
        "Validate: nginx -t: unknown directive; rolled back to 00", 1);
    assertEquals("00", status.serial());
    assertEquals(notAfter, status.notAfter());
    assertEquals(Duration.ofSeconds(10), backoff(status), "the first failure waits 10 s");
    assertEquals("00", cycle.target.live().serial());

    // the backoff ends: the pair is still due, the next attempt renews it
    CertificateStatus next = cycle.sleepPast(status.nextRenewal());
    assertEquals(concat(List.of("inspect"), renewal("02")), cycle.target.callsFrom(7));
    assertEquals(Outcome.RENEWED, next.lastOutcome());
    assertEquals("02", next.serial());
    assertEquals(0, next.consecutiveFailures());
    assertNull(next.lastError());
    assertNull(next.failure());
  }

  @Test
  void aReloadThatFailsIsRolledBack() {
    due().target.failOnce("reload", FailureType.COMMAND_FAILED, "systemctl reload nginx exited 1");

    CertificateStatus status = cycle.start();

    assertEquals(List.of("inspect", "issueAndStage", "activate 01", "validate", "reload", "rollback", "reload",
        "verify 00"), cycle.target.calls());
    assertFailed(status, Outcome.ROLLED_BACK, FailureType.COMMAND_FAILED,
        "Reload: systemctl reload nginx exited 1; rolled back to 00", 1);
    assertEquals("00", status.serial());
    assertEquals(Duration.ofSeconds(10), backoff(status));
  }

  @Test
  void aServedCertificateThatIsNotTheNewOneIsRolledBack() {
    due().target.failOnce("verify", FailureType.VERIFICATION_FAILED, "127.0.0.1:443 serves 00, expected 01");

    CertificateStatus status = cycle.start();

    assertEquals(List.of("inspect", "issueAndStage", "activate 01", "validate", "reload", "verify 01", "rollback",
        "reload", "verify 00"), cycle.target.calls());
    assertFailed(status, Outcome.ROLLED_BACK, FailureType.VERIFICATION_FAILED,
        "Verify: 127.0.0.1:443 serves 00, expected 01; rolled back to 00", 1);
    assertEquals("00", status.serial());
  }

  @Test
  void aRollbackWithoutReloadStepVerifiesTheRestoredSerialOnly() {
    due(ScriptedTarget.policy(false, false, true, List.of()))
        .target.failOnce("verify", FailureType.VERIFICATION_FAILED, "holds 00, expected 01");

    CertificateStatus status = cycle.start();

    assertEquals(List.of("inspect", "issueAndStage", "activate 01", "verify 01", "rollback", "verify 00"),
        cycle.target.calls());
    assertFailed(status, Outcome.ROLLED_BACK, FailureType.VERIFICATION_FAILED,
        "Verify: holds 00, expected 01; rolled back to 00", 1);
  }

  @Test
  void aRestoredPairTheServiceThenRefusesIsStillRolledBackAndSaysSo() {
    due().target.failOnce("validate", FailureType.VALIDATION_FAILED, "nginx -t: unknown directive")
        .failOnce("reload", FailureType.COMMAND_FAILED, "nginx is not running");

    CertificateStatus status = cycle.start();

    assertEquals(concat(UP_TO_VALIDATE, List.of("rollback", "reload")), cycle.target.calls());
    assertFailed(status, Outcome.ROLLED_BACK, FailureType.VALIDATION_FAILED,
        "Validate: nginx -t: unknown directive; rolled back to 00, but then: Reload: nginx is not running", 1);
  }

  @Test
  void aRollbackThatFailsLeavesTheCycleUnfinishedAndTheNextAttemptRunsItAgain() {
    due().target.failOnce("validate", FailureType.VALIDATION_FAILED, "nginx -t: unknown directive")
        .failOnce("rollback", FailureType.ROLLBACK_IMPOSSIBLE, "no rollback point for /etc/ssl/web.crt");

    CertificateStatus status = cycle.start();

    assertEquals(concat(UP_TO_VALIDATE, List.of("rollback")), cycle.target.calls());
    assertFailed(status, Outcome.FAILED, FailureType.VALIDATION_FAILED, "Validate: nginx -t: unknown directive; "
        + "rollback failed too: Rollback: no rollback point for /etc/ssl/web.crt", 1);
    assertEquals("00", status.serial(), "the last pair known good");
    assertEquals(Duration.ofSeconds(10), backoff(status));
    assertEquals("01", cycle.target.live().serial(), "the unvalidated pair stayed in place");

    // the target's pair looks fine (fresh, right names), but its service never accepted it: the whole cycle again
    CertificateStatus next = cycle.sleepPast(status.nextRenewal());
    assertEquals(concat(List.of("inspect"), renewal("02")), cycle.target.callsFrom(5));
    assertEquals(Outcome.RENEWED, next.lastOutcome());
    assertEquals("02", next.serial());
    assertEquals(0, next.consecutiveFailures());
  }

  @Test
  void aFirstPairTheServiceRefusesHasNothingToRollBackToAndIsIssuedAgain() {
    cycle = new CertificateCycle();
    cycle.target.failOnce("validate", FailureType.VALIDATION_FAILED, "nginx -t: unknown directive");

    CertificateStatus status = cycle.start();

    assertEquals(concat(List.of("inspect", "issueAndStage", "activate 01", "validate"), List.of("rollback")),
        cycle.target.calls());
    assertFailed(status, Outcome.FAILED, FailureType.VALIDATION_FAILED,
        "Validate: nginx -t: unknown directive; no previous certificate to roll back to", 1);
    assertNull(status.serial(), "no pair known good");
    assertNull(status.notAfter());
    assertEquals(Duration.ofSeconds(10), backoff(status));

    // the pair left in place (01) is fresh and whole, but was never accepted: the next attempt replaces it
    CertificateStatus next = cycle.sleepPast(status.nextRenewal());
    assertEquals(concat(List.of("inspect"), renewal("02")), cycle.target.callsFrom(5));
    assertEquals(Outcome.RENEWED, next.lastOutcome());
    assertEquals("02", next.serial());
  }

  @Test
  void aCaThatRefusesBacksOffTheLongestAtOnceAndLeavesNothingToDiscard() {
    due().target.fail("issueAndStage", 2, FailureType.ISSUER_REJECTED,
        "the CA refused: web.internal.test is not allowed by provisioner admin");

    CertificateStatus status = cycle.start();

    assertEquals(List.of("inspect", "issueAndStage"), cycle.target.calls(), "nothing staged, nothing to discard");
    assertFailed(status, Outcome.FAILED, FailureType.ISSUER_REJECTED,
        "IssueAndStage: the CA refused: web.internal.test is not allowed by provisioner admin", 1);
    assertEquals("00", status.serial());
    Duration longest = RenewalPolicy.maxRetryDelay(status.lastAttempt(), notAfter);
    assertEquals(longest, backoff(status), "needs a change: the longest backoff at once, not 10 s");
    assertTrue(longest.compareTo(Duration.ofMinutes(23)) > 0, longest.toString());
    assertTrue(status.phase().contains("needs a change"), status.phase());

    cycle.sleep(longest.minusMinutes(1));
    assertEquals(1, cycle.target.count("issueAndStage"), "no attempt during the backoff");
    CertificateStatus next = cycle.sleepPast(status.nextRenewal());
    assertEquals(List.of("inspect", "issueAndStage"), cycle.target.callsFrom(2));
    assertEquals(2, next.consecutiveFailures());
    assertEquals(RenewalPolicy.maxRetryDelay(next.lastAttempt(), notAfter), backoff(next));
  }

  @Test
  void aPairStagedButNotActivatedIsDiscarded() {
    due().target.failOnce("activate", FailureType.NO_SPACE, "no space left on /etc/ssl");

    CertificateStatus status = cycle.start();

    assertEquals(List.of("inspect", "issueAndStage", "activate 01", "discardStaged"), cycle.target.calls());
    assertFailed(status, Outcome.FAILED, FailureType.NO_SPACE, "Activate: no space left on /etc/ssl", 1);
    assertEquals("00", status.serial());
    assertEquals("00", cycle.target.live().serial());
    assertNull(cycle.target.staged());
  }

  @Test
  void aVerifiedPairStaysWhenSettlingFailsAndTheStatusSaysSo() {
    due().target.failOnce("settle", FailureType.NO_SPACE, "no space left on /etc/ssl for web.crt.bak");

    CertificateStatus status = cycle.start();

    assertEquals(concat(List.of("inspect"), renewal("01")), cycle.target.calls(), "no rollback after a verify");
    assertEquals(Outcome.RENEWED, status.lastOutcome());
    assertEquals("01", status.serial());
    assertEquals("01", cycle.target.live().serial());
    assertEquals(0, status.consecutiveFailures());
    assertEquals("renewed and verified, but the pair it replaced is still the rollback point, not the backup: "
        + "Settle: no space left on /etc/ssl for web.crt.bak", status.note());
  }

  @Test
  void anInspectionThatFailsIsRecordedAndBackedOffAndTheWorkflowGoesOn() {
    cycle = new CertificateCycle();
    Instant notBefore = cycle.start.minus(Duration.ofHours(1));
    cycle.target.holding(notBefore, notBefore.plus(Duration.ofHours(24)))
        .failOnce("inspect", FailureType.HOST_KEY_REJECTED, "host key for lxc/101 changed; refusing to connect");

    CertificateStatus status = cycle.start();

    assertEquals(List.of("inspect"), cycle.target.calls());
    assertFailed(status, Outcome.FAILED, FailureType.HOST_KEY_REJECTED,
        "Inspect: host key for lxc/101 changed; refusing to connect", 1);
    assertNull(status.guestId(), "nothing read from the inventory yet");
    assertEquals(Duration.ofMinutes(5), backoff(status), "needs a change, nothing known of the pair: 5 min");

    // the key is accepted again: the next attempt finds the pair fine
    CertificateStatus next = cycle.sleepPast(status.nextRenewal());
    assertEquals(List.of("inspect", "inspect"), cycle.target.calls());
    assertEquals(Outcome.UNCHANGED, next.lastOutcome());
    assertEquals(0, next.consecutiveFailures());
    assertNull(next.lastError());
    assertEquals("00", next.serial());
  }

  @Test
  void aNameTheInventoryDoesNotHoldEndsTheWorkflow() {
    cycle = new CertificateCycle();
    cycle.target.failOnce("inspect", FailureType.NOT_IN_INVENTORY, "web is not in this worker's inventory");
    CertificateWorkflow workflow = cycle.starter();

    WorkflowFailedException failed = assertThrows(WorkflowFailedException.class,
        () -> workflow.run(CertificateRun.first(CertificateCycle.NAME)));

    ApplicationFailure reason = assertInstanceOf(ApplicationFailure.class, failed.getCause());
    assertEquals(FailureType.NOT_IN_INVENTORY.type(), reason.getType());
    assertEquals("Inspect: web is not in this worker's inventory", reason.getOriginalMessage());
    assertEquals(List.of("inspect"), cycle.target.calls());
    assertEquals(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_FAILED,
        WorkflowStub.fromTyped(workflow).describe().getStatus());
    CertificateStatus status = cycle.env.getWorkflowClient()
        .newWorkflowStub(CertificateWorkflow.class, CertificateCycle.WORKFLOW_ID, Optional.empty()).status();
    assertFailed(status, Outcome.FAILED, FailureType.NOT_IN_INVENTORY,
        "Inspect: web is not in this worker's inventory", 1);
    assertEquals("refused", status.phase());
  }

  static void assertFailed(CertificateStatus status, Outcome outcome, FailureType type, String error,
      int consecutiveFailures) {
    assertEquals(outcome, status.lastOutcome(), status.toString());
    assertEquals(type.type(), status.failure(), status.toString());
    assertEquals(error, status.lastError());
    assertEquals(consecutiveFailures, status.consecutiveFailures());
    assertEquals(type.type() + ": " + error, status.failureText());
  }

  /** How long after the attempt ended the next one is due. */
  static Duration backoff(CertificateStatus status) {
    return Duration.between(status.lastAttempt(), status.nextRenewal());
  }
}
