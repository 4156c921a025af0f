package ai.thinkheads.phoenix.certs.starter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.thinkheads.phoenix.certs.starter.CertificateStack.Run;
import ai.thinkheads.phoenix.certs.workflows.audit.AuditActivities;
import ai.thinkheads.phoenix.certs.workflows.audit.AuditFacts;
import ai.thinkheads.phoenix.certs.workflows.audit.AuditPlan;
import ai.thinkheads.phoenix.certs.workflows.audit.AuditReport;
import ai.thinkheads.phoenix.certs.workflows.audit.AuditRequest;
import ai.thinkheads.phoenix.certs.workflows.audit.AuditWorkflow;
import ai.thinkheads.phoenix.certs.workflows.audit.AuditWorkflowImpl;
import ai.thinkheads.phoenix.certs.workflows.audit.EstateOutline;
import ai.thinkheads.phoenix.certs.workflows.audit.Unreachable;
import ai.thinkheads.phoenix.certs.workflows.audit.report.JsonReport;
import ai.thinkheads.phoenix.certs.workflows.audit.report.MarkdownReport;
import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateWorkflow;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.testserver.TestServer;
import io.temporal.worker.WorkerFactory;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code phoenix-certs audit} against a real Temporal (the test server) and the real AuditWorkflowImpl, on stand-in
 * audit activities (one guest unreachable): a run it starts, and the worker's timer loop it asks by signal.
 */
class AuditCommandTest {

  @TempDir
  Path dir;

  /** Stand-in steps: vm/1002 cannot be reached; the previous report is the last one published. */
  static final class StandInAudit implements AuditActivities {
    final Duration loop;
    final AtomicReference<AuditReport> published = new AtomicReference<>();

    StandInAudit(Duration loop) {
      this.loop = loop;
    }

    @Override
    public AuditPlan plan() {
      AuditReport last = published.get();
      return new AuditPlan(List.of("guest:vm/1002"), 2, new EstateOutline("test.yaml", "step-ca",
          "https://ca:9000", "ab".repeat(32), List.of(new EstateOutline.GuestOutline("vm/1002", "agent", "vm",
          List.of(), List.of())), List.of("ca", "managed", "trust")), last == null ? null : last.findings(),
          Duration.ofDays(30), loop);
    }

    @Override
    public AuditFacts gather(String task) {
      return new AuditFacts(task, List.of(), List.of(), List.of(), List.of(new Unreachable("vm/1002", "trust source",
          "connection refused")));
    }

    @Override
    public String onboard(String guestId) {
      return "guest/" + guestId;
    }

    @Override
    public String publish(AuditReport report) {
      published.set(report);
      return "memory";
    }
  }

  private static <T> T withStack(Duration loop, StackBody<T> body) throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    try (TestServer.PortBoundTestServer server = TestServer.createPortBoundServer(port, true)) {
      WorkflowServiceStubs stubs = WorkflowServiceStubs.newServiceStubs(WorkflowServiceStubsOptions.newBuilder()
          .setTarget("127.0.0.1:" + port).build());
      WorkflowClient client = WorkflowClient.newInstance(stubs);
      WorkerFactory factory = WorkerFactory.newInstance(client);
      var worker = factory.newWorker(CertificateWorkflow.TASK_QUEUE);
      worker.registerWorkflowImplementationTypes(AuditWorkflowImpl.class);
      worker.registerActivitiesImplementations(new StandInAudit(loop));
      factory.start();
      try {
        return body.run(client, "127.0.0.1:" + port);
      } finally {
        factory.shutdownNow();
        stubs.shutdownNow();
      }
    }
  }

  interface StackBody<T> {
    T run(WorkflowClient client, String address) throws Exception;
  }

  @Test
  void waitWritesTheReportAndCriticalFindingsExitOne() throws Exception {
    withStack(null, (client, address) -> {
      Path out = dir.resolve("audit.json");
      Run run = CertificateStack.cli("audit", "--wait", "--format", "json", "-o", out.toString(), "--address", address);
      assertEquals(1, run.exit(), run.err() + run.out());
      assertTrue(run.out().contains("audit 1: 1 critical, 0 warnings; written to " + out), run.out());
      AuditReport report = JsonReport.parse(Files.readString(out));
      assertEquals("unreachable", report.findings().get(0).code());
      assertEquals("cli", report.reason());
      Run again = CertificateStack.cli("audit", "--wait", "--address", address);
      assertEquals(1, again.exit());
      assertTrue(again.out().startsWith("audit: audit started\n# SSL Certificate Audit Report"), again.out());
      MarkdownReport.SECTIONS.forEach(h -> assertTrue(again.out().contains("\n" + h + "\n"), h));
      return null;
    });
  }

  @Test
  void aRunningLoopIsAskedBySignal() throws Exception {
    withStack(Duration.ofHours(1), (client, address) -> {
      WorkflowClient.start(client.newWorkflowStub(AuditWorkflow.class, WorkflowOptions.newBuilder()
          .setWorkflowId(AuditRequest.WORKFLOW_ID).setTaskQueue(CertificateWorkflow.TASK_QUEUE).build())::run,
          AuditRequest.of(AuditRequest.WORKER_START));
      Run first = CertificateStack.cli("audit", "--wait", "--format", "html", "--address", address);
      assertTrue(first.out().startsWith("audit: audit requested from the running audit loop\n<!DOCTYPE html>"),
          first.out() + first.err());
      assertTrue(first.out().contains("First audit"), first.out());
      Run second = CertificateStack.cli("audit", "--wait", "--format", "md", "--address", address);
      assertTrue(second.out().contains("Audit 2 of test.yaml"), second.out());
      assertTrue(second.out().contains("**Since the previous audit:** 0 new, 0 fixed, 0 worse."), second.out());
      Run nowait = CertificateStack.cli("audit", "--address", address);
      assertEquals(0, nowait.exit());
      assertFalse(nowait.out().contains("SSL Certificate Audit Report"));
      return null;
    });
  }

  @Test
  void anUnknownFormatIsABadArgument() {
    Run run = CertificateStack.cli("audit", "--format", "pdf", "--address", "127.0.0.1:1");
    assertEquals(2, run.exit());
    assertTrue(run.err().contains("unknown format 'pdf'"), run.err());
  }
}
