package ai.thinkheads.phoenix.certs.starter;

import ai.thinkheads.phoenix.certs.workflows.guest.GuestOnboardingStatus;
import io.grpc.StatusRuntimeException;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowException;
import io.temporal.client.WorkflowServiceException;
import io.temporal.client.WorkflowStub;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code onboard <vmid|name>}: asks the worker to start (or join) {@code guest/<vmid>} ({@code guest/<name>} for a
 * guest without a vmid, such as the Proxmox host). It goes through the events
 * endpoint, not straight to Temporal, because the worker holds the inventory that says how to reach the guest
 * and which trust stores it has; the CLI stays free of the inventory, SSH and crypto. {@code --wait} then
 * follows the run in Temporal until it ends.
 */
@Command(name = "onboard", mixinStandardHelpOptions = true,
    description = "Make a guest trust the root CA now: start (or join) guest/<vmid or name> through the worker.",
    exitCodeListHeading = "Exit codes:%n",
    exitCodeList = {
      "0:started or joined (with --wait: onboarded)",
      "1:rejected by the worker (not in the inventory), or onboarding failed or timed out",
      "2:bad arguments, token file or token",
      "3:the worker or Temporal cannot be reached"})
public class OnboardCommand implements Callable<Integer> {

  @Mixin
  EventsEndpoint endpoint = new EventsEndpoint();

  @Mixin
  TemporalOptions temporal = new TemporalOptions();

  @Parameters(index = "0", description = "the guest's Proxmox vmid, or its name (a guest without a vmid, e.g. "
      + "the Proxmox host), as the inventory lists it")
  String vmid;

  @Option(names = "--wait", description = "follow the run until it ends; the exit code is its outcome")
  boolean wait;

  @Option(names = "--timeout", defaultValue = "PT10M",
      description = "how long --wait waits, ISO-8601 (${DEFAULT-VALUE})")
  Duration timeout;

  @Override
  public Integer call() {
    GuestEventCommand.Sent sent = GuestEventCommand.send(endpoint, "onboard", vmid, "manual", "cli", "unknown");
    if (!wait || sent.exitCode() != ExitCodes.OK) {
      return sent.exitCode();
    }
    try {
      return follow(temporal.connect(), sent.answer().text("workflowId"), sent.answer().text("runId"));
    } catch (StatusRuntimeException | WorkflowServiceException e) {
      System.err.println("phoenix-certs onboard: cannot reach Temporal to follow the run: " + e.getMessage());
      return ExitCodes.TEMPORAL_UNAVAILABLE;
    }
  }

  private int follow(WorkflowClient client, String workflowId, String runId) {
    WorkflowStub run = client.newUntypedWorkflowStub(workflowId, Optional.ofNullable(runId), Optional.empty());
    long deadline = System.nanoTime() + timeout.toNanos();
    String lastPhase = null;
    while (System.nanoTime() < deadline) {
      try {
        GuestOnboardingStatus done = run.getResult(1, TimeUnit.SECONDS, GuestOnboardingStatus.class);
        return report(workflowId, done);
      } catch (TimeoutException stillRunning) {
        GuestOnboardingStatus now = run.query("status", GuestOnboardingStatus.class);
        if (now != null && !Objects.equals(now.phase(), lastPhase)) {
          lastPhase = now.phase();
          System.out.println("  " + workflowId + ": " + lastPhase);
        }
      } catch (WorkflowException failed) {
        Throwable cause = failed.getCause() == null ? failed : failed.getCause();
        System.err.println("phoenix-certs onboard: " + workflowId + " failed: " + cause.getMessage());
        return ExitCodes.ATTENTION;
      }
    }
    System.err.println("phoenix-certs onboard: " + workflowId + " still running after " + timeout
        + " (last phase: " + lastPhase + "); it goes on: follow it in the Temporal UI");
    return ExitCodes.ATTENTION;
  }

  private static int report(String workflowId, GuestOnboardingStatus status) {
    if (status.error() != null) {
      System.err.println("phoenix-certs onboard: " + workflowId + " failed: " + status.error());
      return ExitCodes.ATTENTION;
    }
    System.out.println(workflowId + ": onboarded: installed " + String.join(", ", status.installed())
        + (status.unchanged().isEmpty() ? "" : "; already there: " + String.join(", ", status.unchanged()))
        + (status.verified() == null ? "" : "; verified: " + status.verified()));
    return ExitCodes.OK;
  }
}
