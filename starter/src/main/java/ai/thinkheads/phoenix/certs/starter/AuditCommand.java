package ai.thinkheads.phoenix.certs.starter;

import ai.thinkheads.phoenix.certs.workflows.audit.AuditReport;
import ai.thinkheads.phoenix.certs.workflows.audit.AuditRequest;
import ai.thinkheads.phoenix.certs.workflows.audit.AuditWorkflow;
import ai.thinkheads.phoenix.certs.workflows.audit.Severity;
import ai.thinkheads.phoenix.certs.workflows.audit.report.Formats;
import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateWorkflow;
import ai.thinkheads.phoenix.certs.workflows.status.PromptQuery;
import io.grpc.StatusRuntimeException;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowQueryException;
import io.temporal.client.WorkflowServiceException;
import io.temporal.client.WorkflowStub;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code audit [--wait] [--format md|json|html] [-o file]}: starts the {@code audit} workflow (or, where the worker's
 * timer loop keeps it running, signals {@code auditNow}); with {@code --wait} waits for that audit's report and
 * prints it, or writes it to the file.
 */
@Command(name = "audit", mixinStandardHelpOptions = true,
    description = "Audit the estate's certificates now (the audit workflow); with --wait, print the report.",
    exitCodeListHeading = "Exit codes:%n",
    exitCodeList = {
      "0:audit started (with --wait: no critical finding)",
      "1:with --wait: critical findings, or the audit did not end in time",
      "2:bad arguments, or the output file cannot be written",
      "3:Temporal cannot be reached"})
public class AuditCommand implements Callable<Integer> {

  static final Duration POLL = Duration.ofMillis(500);

  @Mixin
  TemporalOptions temporal = new TemporalOptions();

  @Option(names = "--wait", description = "wait for the report and print it (or write it with -o)")
  boolean wait;

  @Option(names = "--format", defaultValue = "md", description = "md, json or html (${DEFAULT-VALUE})")
  String format;

  @Option(names = {"-o", "--output"}, description = "write the report to this file instead of printing it")
  Path output;

  @Option(names = "--timeout", defaultValue = "PT10M",
      description = "how long --wait waits, ISO-8601 (${DEFAULT-VALUE})")
  Duration timeout;

  @Override
  public Integer call() throws InterruptedException {
    if (!Formats.NAMES.contains(format)) {
      System.err.println("phoenix-certs audit: unknown format '" + format + "' (known: md, json, html)");
      return ExitCodes.USAGE;
    }
    try {
      WorkflowClient client = temporal.connect();
      AuditReport report = wait ? run(client) : null;
      if (!wait) {
        start(client);
        return ExitCodes.OK;
      }
      if (report == null) {
        System.err.println("phoenix-certs audit: no report after " + timeout + "; the audit goes on (Temporal UI, "
            + "workflow " + AuditRequest.WORKFLOW_ID + ")");
        return ExitCodes.ATTENTION;
      }
      String text = Formats.render(report, format);
      if (output != null) {
        Files.writeString(output, text, StandardCharsets.UTF_8);
        System.out.println("audit " + report.sequence() + ": " + report.count(Severity.CRITICAL) + " critical, "
            + report.count(Severity.WARNING) + " warnings; written to " + output);
      } else {
        System.out.print(text);
      }
      return report.count(Severity.CRITICAL) > 0 ? ExitCodes.ATTENTION : ExitCodes.OK;
    } catch (IOException e) {
      System.err.println("phoenix-certs audit: cannot write " + output + ": " + e.getMessage());
      return ExitCodes.USAGE;
    } catch (StatusRuntimeException | WorkflowServiceException e) {
      System.err.println("phoenix-certs audit: cannot reach Temporal: " + e.getMessage());
      return ExitCodes.TEMPORAL_UNAVAILABLE;
    }
  }

  /** Starts an audit; true when this call started the workflow, false when it asked a running loop. */
  private boolean start(WorkflowClient client) {
    AuditWorkflow audit = client.newWorkflowStub(AuditWorkflow.class, WorkflowOptions.newBuilder()
        .setWorkflowId(AuditRequest.WORKFLOW_ID).setTaskQueue(CertificateWorkflow.TASK_QUEUE)
        .setStaticSummary("Audit the estate's certificates (asked from the CLI)").build());
    try {
      WorkflowClient.start(audit::run, AuditRequest.of("cli"));
      System.out.println(AuditRequest.WORKFLOW_ID + ": audit started");
      return true;
    } catch (WorkflowExecutionAlreadyStarted running) {
      client.newWorkflowStub(AuditWorkflow.class, AuditRequest.WORKFLOW_ID).auditNow();
      System.out.println(AuditRequest.WORKFLOW_ID + ": audit requested from the running audit loop");
      return false;
    }
  }

  /** Starts (or asks for) an audit and waits for its report; null when it did not come in time. */
  private AuditReport run(WorkflowClient client) throws InterruptedException {
    AuditWorkflow running = client.newWorkflowStub(AuditWorkflow.class, AuditRequest.WORKFLOW_ID);
    long before = -1;
    try {
      before = PromptQuery.answer(running::completed);
    } catch (RuntimeException notRunning) {
      // no audit workflow runs: this call starts one
    }
    if (start(client)) {
      try {
        return WorkflowStub.fromTyped(client.newWorkflowStub(AuditWorkflow.class, AuditRequest.WORKFLOW_ID))
            .getResult(timeout.toMillis(), TimeUnit.MILLISECONDS, AuditReport.class);
      } catch (TimeoutException e) {
        return null;
      }
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      Thread.sleep(POLL.toMillis());
      try {
        if (PromptQuery.answer(running::completed) > before) {
          AuditReport report = PromptQuery.answer(running::latest);
          if (report != null) {
            return report;
          }
        }
      } catch (WorkflowQueryException betweenRuns) {
        // continue-as-new in progress: the next run answers in a moment
      }
    }
    return null;
  }
}
