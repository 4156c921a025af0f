package ai.thinkheads.phoenix.certs.starter;

import ai.thinkheads.phoenix.certs.starter.CertificateRuns.Run;
import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateStatus;
import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateWorkflow;
import ai.thinkheads.phoenix.certs.workflows.certificate.CertificatePolicy;
import ai.thinkheads.phoenix.certs.workflows.status.PromptQuery;
import ai.thinkheads.phoenix.certs.workflows.status.StatusTable;
import io.grpc.StatusRuntimeException;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionDescription;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowServiceException;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code describe <cert>}: what the workflow knows of one certificate. The status query gives what is live and
 * the last outcome; the run history gives the spec (SANs, key, where it is deployed, the steps), the chain it
 * last issued and the recent runs with their outcomes. Nothing here reads the target itself.
 */
@Command(name = "describe", mixinStandardHelpOptions = true,
    description = "Show one certificate: SANs, key, where deployed, chain, serial, notAfter, its last runs.",
    exitCodeListHeading = "Exit codes:%n",
    exitCodeList = {
      "0:the certificate is live and its last attempt succeeded",
      "1:its last attempt failed or was rolled back, or it is not running",
      "2:bad arguments",
      "3:Temporal cannot be reached"})
public class DescribeCommand implements Callable<Integer> {

  /** How far back to look for the last issued chain; each run is one small history. */
  static final int SEARCH_RUNS = 20;

  @Mixin
  TemporalOptions temporal = new TemporalOptions();

  @Parameters(index = "0", description = "certificate name, as in the inventory (cert/<name> in Temporal)")
  String name;

  @Option(names = "--runs", defaultValue = "5", description = "how many recent runs to list (${DEFAULT-VALUE})")
  int shownRuns;

  @Override
  public Integer call() {
    String workflowId = CertificateWorkflow.workflowIdFor(name);
    try {
      WorkflowClient client = temporal.connect();
      WorkflowExecutionDescription description = client.newUntypedWorkflowStub(workflowId).describe();
      CertificateStatus status = PromptQuery.answer(
          () -> client.newWorkflowStub(CertificateWorkflow.class, workflowId).status());
      List<Run> runs = CertificateRuns.recent(client, workflowId, description.getExecution().getRunId(),
          Math.max(SEARCH_RUNS, shownRuns));
      print(workflowId, description, status, runs);
      return CertificateView.needsAttention(status) ? ExitCodes.ATTENTION : ExitCodes.OK;
    } catch (WorkflowNotFoundException e) {
      System.err.println("phoenix-certs describe: " + workflowId + " is not running; check the name "
          + "(phoenix-certs status) or start the worker with the inventory that lists it");
      return ExitCodes.ATTENTION;
    } catch (StatusRuntimeException | WorkflowServiceException e) {
      System.err.println("phoenix-certs describe: cannot reach Temporal: " + e.getMessage());
      return ExitCodes.TEMPORAL_UNAVAILABLE;
    }
  }

  private void print(String workflowId, WorkflowExecutionDescription description, CertificateStatus status,
      List<Run> runs) {
    CertificatePolicy policy = runs.stream().map(Run::policy).filter(Objects::nonNull).findFirst().orElse(null);
    System.out.println(workflowId + "  " + Objects.requireNonNullElse(description.getStaticSummary(), ""));
    if (policy != null) {
      row("guest", policy.guestId());
      row("SANs", String.join(", ", policy.sans()));
      row("key", policy.key().id() + ", issuer " + policy.issuer() + ", usage " + policy.usages().stream()
          .map(u -> u.name().toLowerCase()).toList());
      row("deployed to", policy.deployedTo());
      row("steps", String.join("; ", policy.steps()));
      if (!policy.after().isEmpty()) {
        row("after", String.join(", ", policy.after()) + " (activates once their renewal is over)");
      }
    }
    row("serial", Objects.requireNonNullElse(status.serial(), "-"));
    row("not after", StatusTable.time(status.notAfter()));
    row("next renewal", StatusTable.time(status.nextRenewal()));
    row("last outcome", CertificateView.outcome(status));
    row("phase", status.phase());
    row("renewals", status.renewals() + (status.consecutiveFailures() > 0
        ? ", " + status.consecutiveFailures() + " failures in a row" : ""));
    System.out.println();
    CertificateView.chain(System.out, runs, status);
    System.out.println();
    CertificateView.runs(System.out, runs.subList(0, Math.min(shownRuns, runs.size())), status);
  }

  private void row(String label, String value) {
    System.out.printf("  %-13s %s%n", label, value);
  }
}
