package ai.thinkheads.phoenix.certs.starter;

import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateWorkflow;
import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateWorkflowImpl;
import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateRun;
import ai.thinkheads.phoenix.certs.workflows.coordination.GuestPairsWorkflowImpl;
import ai.thinkheads.phoenix.certs.workflows.model.CertificateFiles;
import ai.thinkheads.phoenix.certs.workflows.model.CertificateSpec;
import ai.thinkheads.phoenix.certs.workflows.model.KeyAlgorithm;
import ai.thinkheads.phoenix.certs.workflows.model.StepSpec;
import ai.thinkheads.phoenix.certs.workflows.model.TargetSpec;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.testserver.TestServer;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import picocli.CommandLine;

/**
 * A Temporal for the CLI to talk to: the embedded test server on a free port (wall-clock time), a worker with
 * the real CertificateWorkflowImpl and guest coordinator on {@link FakeCertificateActivities} (cert/web and
 * cert/broken running), and
 * {@link StandInGuestOnboarding} for guest/<vmid>.
 */
final class CertificateStack implements AutoCloseable {

  final String address;
  final WorkflowClient client;
  private final TestServer.PortBoundTestServer server;
  private final WorkflowServiceStubs stubs;
  private final WorkerFactory factory;

  CertificateStack() throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    server = TestServer.createPortBoundServer(port, true);
    address = "127.0.0.1:" + port;
    stubs = WorkflowServiceStubs.newServiceStubs(WorkflowServiceStubsOptions.newBuilder().setTarget(address).build());
    client = WorkflowClient.newInstance(stubs);
    factory = WorkerFactory.newInstance(client);
    Worker worker = factory.newWorker(CertificateWorkflow.TASK_QUEUE);
    worker.registerWorkflowImplementationTypes(CertificateWorkflowImpl.class, GuestPairsWorkflowImpl.class,
        StandInGuestOnboarding.class);
    worker.registerActivitiesImplementations(new FakeCertificateActivities(),
        new StandInCoordinators(client, CertificateWorkflow.TASK_QUEUE));
    factory.start();
    for (String name : List.of("web", "broken")) {
      CertificateSpec spec = spec(name);
      CertificateWorkflow workflow = client.newWorkflowStub(CertificateWorkflow.class, WorkflowOptions.newBuilder()
          .setWorkflowId(spec.workflowId()).setTaskQueue(CertificateWorkflow.TASK_QUEUE)
          .setStaticSummary(spec.summary()).build());
      WorkflowClient.start(workflow::run, CertificateRun.first(name));
    }
  }

  static CertificateSpec spec(String name) {
    return new CertificateSpec(name, new TargetSpec("local", "lxc/101", null), "local", null,
        List.of("web.internal.test", "*.internal.test"), KeyAlgorithm.ECDSA_P256, null, null, 0, null,
        new CertificateFiles("/etc/nginx/ssl/" + name + ".crt", "/etc/nginx/ssl/" + name + ".key", null, null, null,
            null),
        new StepSpec("command", List.of("nginx", "-t"), null),
        new StepSpec("command", List.of("nginx", "-s", "reload"), null), StepSpec.none(), List.of());
  }

  /** Output and exit code of one CLI run. */
  record Run(int exit, String out, String err) {}

  /** Runs the CLI in this JVM with its output captured. */
  static Run cli(String... args) {
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      int exit = new CommandLine(new PhoenixCertsCli()).execute(args);
      return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
  }

  @Override
  public void close() {
    factory.shutdownNow();
    stubs.shutdownNow();
    server.close();
  }
}
