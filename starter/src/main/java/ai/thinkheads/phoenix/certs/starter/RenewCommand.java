package ai.thinkheads.phoenix.certs.starter;

import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateStatus;
import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateStatus.Outcome;
import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateWorkflow;
import ai.thinkheads.phoenix.certs.workflows.status.PromptQuery;
import ai.thinkheads.phoenix.certs.workflows.status.StatusTable;
import io.grpc.StatusRuntimeException;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowQueryException;
import io.temporal.client.WorkflowServiceException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code renew <cert> [--wait] [--force]}: signals {@code renewNow} to {@code cert/<name>} ({@code renewForce}
 * with --force). With {@code --wait} it follows the status query, printing each phase, until an attempt made
 * after the signal ends; its outcome is the exit code. During a backoff after failures the request waits for the
 * backoff's end (shown); --force makes one attempt now.
 */
@Command(name = "renew", mixinStandardHelpOptions = true,
    description = "Renew a certificate now (signal renewNow to cert/<name>); after failures, when the backoff "
        + "ends, or at once with --force.",
    exitCodeListHeading = "Exit codes:%n",
    exitCodeList = {
      "0:renewal requested (with --wait: renewed)",
      "1:with --wait: the renewal failed or was rolled back, or did not end in time; or no such certificate",
      "2:bad arguments",
      "3:Temporal cannot be reached"})
public class RenewCommand implements Callable<Integer> {

  static final Duration POLL = Duration.ofMillis(500);

  @Mixin
  TemporalOptions temporal = new TemporalOptions();

  @Parameters(index = "0", description = "certificate name, as in the inventory (cert/<name> in Temporal)")
  String name;

  @Option(names = "--wait", description = "follow the renewal until it ends; the exit code is its outcome")
  boolean wait;

  @Option(names = "--force", description = "one attempt now, even during the backoff after failures")
  boolean force;

  @Option(names = "--timeout", defaultValue = "PT10M",
      description = "how long --wait waits, ISO-8601 (${DEFAULT-VALUE})")
  Duration timeout;

  @Override
  public Integer call() throws InterruptedException {
    String workflowId = CertificateWorkflow.workflowIdFor(name);
    try {
      WorkflowClient client = temporal.connect();
      CertificateWorkflow workflow = client.newWorkflowStub(CertificateWorkflow.class, workflowId);
      CertificateStatus before = PromptQuery.answer(workflow::status);
      if (force) {
        workflow.renewForce();
      } else {
        workflow.renewNow();
      }
      boolean backingOff = before.phase() != null && before.phase().startsWith("backing off") && !force;
      System.out.println(workflowId + ": renewal requested" + (backingOff ? " for when the backoff ends, "
          + StatusTable.time(before.nextRenewal()) + " (" + before.failureText() + "); renew --force tries now"
          : " (now: " + before.phase() + ")"));
      return wait ? follow(workflow, workflowId, before) : ExitCodes.OK;
    } catch (WorkflowNotFoundException e) {
      System.err.println("phoenix-certs renew: " + workflowId + " is not running; check the name "
          + "(phoenix-certs status) or start the worker with the inventory that lists it");
      return ExitCodes.ATTENTION;
    } catch (StatusRuntimeException | WorkflowServiceException e) {
      System.err.println("phoenix-certs renew: cannot reach Temporal: " + e.getMessage());
      return ExitCodes.TEMPORAL_UNAVAILABLE;
    }
  }

  /**
   * Waits for an attempt that began after the signal. An attempt already under way when the signal came is not
   * the one asked for (the workflow renews again right after it), so it is skipped.
   */
  private int follow(CertificateWorkflow workflow, String workflowId, CertificateStatus before)
      throws InterruptedException {
    int attemptsToSkip = inProgress(before.phase()) ? 1 : 0;
    CertificateStatus seen = before;
    String lastPhase = before.phase();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      Thread.sleep(POLL.toMillis());
      CertificateStatus now;
      try {
        now = PromptQuery.answer(workflow::status);
      } catch (WorkflowQueryException betweenRuns) {
        continue; // continue-as-new in progress: the next run answers in a moment
      }
      if (!Objects.equals(now.phase(), lastPhase)) {
        lastPhase = now.phase();
        System.out.println("  " + StatusTable.time(java.time.Instant.now()) + "  " + lastPhase);
      }
      if (newAttempt(seen, now)) {
        if (attemptsToSkip-- > 0) {
          seen = now;
          continue;
        }
        return report(workflowId, now);
      }
    }
    System.err.println("phoenix-certs renew: " + workflowId + " still " + lastPhase + " after " + timeout
        + "; it goes on: phoenix-certs describe " + name);
    return ExitCodes.ATTENTION;
  }

  static boolean newAttempt(CertificateStatus before, CertificateStatus now) {
    return !Objects.equals(before.lastAttempt(), now.lastAttempt()) || before.renewals() != now.renewals()
        || before.consecutiveFailures() != now.consecutiveFailures();
  }

  static boolean inProgress(String phase) {
    return phase != null && phase.matches("(issuing|waiting for|activating|validating|reloading|verifying|rolling back).*");
  }

  private int report(String workflowId, CertificateStatus status) {
    Outcome outcome = status.lastOutcome();
    if (outcome == Outcome.FAILED || outcome == Outcome.ROLLED_BACK) {
      System.err.println("phoenix-certs renew: " + workflowId + ": " + outcome.name().toLowerCase() + ": "
          + status.failureText() + "; next attempt " + StatusTable.time(status.nextRenewal()));
      return ExitCodes.ATTENTION;
    }
    System.out.println(workflowId + ": " + outcome.name().toLowerCase() + ": serial " + status.serial() + ", not after "
        + StatusTable.time(status.notAfter()) + ", next renewal " + StatusTable.time(status.nextRenewal())
        + (status.note() == null ? "" : "; " + status.note()));
    return ExitCodes.OK;
  }
}
