package ai.thinkheads.phoenix.certs.activities.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.thinkheads.phoenix.certs.activities.issuer.LocalCaIssuer;
import ai.thinkheads.phoenix.certs.activities.plugin.PluginRegistry;
import ai.thinkheads.phoenix.certs.activities.steps.CommandStep;
import ai.thinkheads.phoenix.certs.activities.steps.ReadbackVerifier;
import ai.thinkheads.phoenix.certs.activities.steps.TlsVerifier;
import ai.thinkheads.phoenix.certs.activities.testing.GuestNginx;
import ai.thinkheads.phoenix.certs.activities.testing.Polling;
import ai.thinkheads.phoenix.certs.activities.testing.SpecSteps;
import ai.thinkheads.phoenix.certs.activities.testing.TestEstate;
import ai.thinkheads.phoenix.certs.activities.testing.guest.SimulatedGuest;
import ai.thinkheads.phoenix.certs.activities.testing.guest.SimulatedGuests;
import ai.thinkheads.phoenix.certs.activities.transport.LocalTransportFactory;
import ai.thinkheads.phoenix.certs.activities.transport.Transport;
import ai.thinkheads.phoenix.certs.activities.transport.ssh.SshConnectionPool;
import ai.thinkheads.phoenix.certs.activities.transport.ssh.SshTransportFactory;
import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateStatus;
import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateStatus.Outcome;
import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateWorkflow;
import ai.thinkheads.phoenix.certs.activities.testing.CertificateWorkers;
import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateRun;
import ai.thinkheads.phoenix.certs.workflows.certificate.TargetState;
import ai.thinkheads.phoenix.certs.workflows.model.CertificateFiles;
import ai.thinkheads.phoenix.certs.workflows.model.CertificateSpec;
import ai.thinkheads.phoenix.certs.workflows.model.KeyAlgorithm;
import ai.thinkheads.phoenix.certs.workflows.model.KeyUsage;
import ai.thinkheads.phoenix.certs.workflows.model.StepSpec;
import ai.thinkheads.phoenix.certs.workflows.model.TargetSpec;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A certificate's life on a real guest: a real sshd guest, a real nginx serving TLS in it, the workflow on
 * Temporal's test server (wall clock: nginx and TLS live in real time), and the served certificate checked.
 */
class NginxRenewalTest {

  @RegisterExtension
  static final SimulatedGuests GUESTS = SimulatedGuests.count(1);

  static final String NAME = "internal-traefik-proxy";
  static final String SERVER_NAME = "traefik.internal.thinkheads.ai";

  @TempDir
  Path dir;

  TestWorkflowEnvironment env;
  SshConnectionPool pool;
  SpecSteps activities;
  GuestNginx nginx;
  Transport transport;
  CertificateSpec spec;

  @BeforeEach
  void setUp() throws Exception {
    SimulatedGuest guest = GUESTS.guest(0);
    pool = new SshConnectionPool();
    SshTransportFactory ssh = new SshTransportFactory(pool);
    CommandStep command = new CommandStep();
    activities = new SpecSteps(new TestEstate(new LocalCaIssuer(dir.resolve("ca"), "Test")),
        PluginRegistry.of(ssh, new LocalTransportFactory(), command, new ReadbackVerifier(),
            new TlsVerifier()));
    nginx = new GuestNginx(guest, NAME, SERVER_NAME);
    TargetSpec target = new TargetSpec("ssh", "lxc/101", guest.sshOptions(GUESTS.keys().ed25519()));
    transport = ssh.open(target);
    spec = new CertificateSpec(NAME, target, "local", "*.internal.thinkheads.ai",
        List.of("*.internal.thinkheads.ai", SERVER_NAME), KeyAlgorithm.ECDSA_P256, List.of(KeyUsage.SERVER),
        Duration.ofHours(1), 0, null,
        new CertificateFiles(GuestNginx.certPath(NAME), GuestNginx.keyPath(NAME), null, null, null, null),
        new StepSpec("command", nginx.testArgv(), Map.of()),
        new StepSpec("command", nginx.reloadArgv(), Map.of()),
        new StepSpec("tls", List.of(), Map.of("endpoint", nginx.endpoint(), "serverName", SERVER_NAME)), List.of());

    env = TestWorkflowEnvironment.newInstance(TestEnvironmentOptions.newBuilder().setUseTimeskipping(false).build());
    Worker worker = env.newWorker(CertificateWorkflow.TASK_QUEUE);
    CertificateWorkers.register(worker, env.getWorkflowClient(), activities.authority(), activities.activities());
    env.start();
  }

  @AfterEach
  void tearDown() {
    nginx.stop(transport);
    env.close();
    pool.close();
  }

  @Test
  void nginxServesTheRenewedCertificateAndABrokenConfigRollsBack() throws Exception {
    WorkflowClient client = env.getWorkflowClient();
    activities.estate().put(spec);
    WorkflowClient.start(client.newWorkflowStub(CertificateWorkflow.class, WorkflowOptions.newBuilder()
        .setWorkflowId(spec.workflowId()).setTaskQueue(CertificateWorkflow.TASK_QUEUE).build())::run,
        CertificateRun.first(spec.name()));
    CertificateWorkflow workflow = client.newWorkflowStub(CertificateWorkflow.class, spec.workflowId());

    CertificateStatus issued = await(workflow, s -> s.lastOutcome() == Outcome.ISSUED);
    assertEquals(issued.serial(), nginx.servedSerial(), "nginx serves the issued certificate");
    assertTrue(GUESTS.guest(0).hostPath(GuestNginx.keyPath(NAME)).toFile().exists(),
        "the key landed in the guest's private /etc/nginx/ssl");

    workflow.renewNow();
    CertificateStatus renewed = await(workflow, s -> s.lastOutcome() == Outcome.RENEWED);
    assertNotEquals(issued.serial(), renewed.serial());
    assertEquals(renewed.serial(), nginx.servedSerial(), "after renewal nginx serves the new certificate");

    nginx.breakConfig();
    workflow.renewNow();
    CertificateStatus rolledBack = await(workflow, s -> s.lastOutcome() == Outcome.ROLLED_BACK);
    assertTrue(rolledBack.lastError().contains("nginx"), rolledBack.lastError());
    assertTrue(rolledBack.lastError().contains("rolled back to " + renewed.serial()), rolledBack.lastError());
    assertEquals(renewed.serial(), nginx.servedSerial(), "the old certificate is still served");
    TargetState onDisk = activities.inspect(spec);
    assertTrue(onDisk.usable(), "key and certificate match on the guest: " + onDisk.problem());
    assertEquals(renewed.serial(), onDisk.serial());
  }

  private static CertificateStatus await(CertificateWorkflow workflow, Predicate<CertificateStatus> condition)
      throws InterruptedException {
    return Polling.await(workflow::status, condition, Duration.ofSeconds(60), Duration.ofMillis(200));
  }
}
