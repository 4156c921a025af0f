package ai.thinkheads.phoenix.certs.activities.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.thinkheads.phoenix.certs.activities.estate.Authority;
import ai.thinkheads.phoenix.certs.activities.estate.Guest;
import ai.thinkheads.phoenix.certs.activities.plugin.PluginRegistry;
import ai.thinkheads.phoenix.certs.activities.testing.SpecSteps;
import ai.thinkheads.phoenix.certs.activities.testing.TestEstate;
import ai.thinkheads.phoenix.certs.activities.crypto.CertificateFacts;
import ai.thinkheads.phoenix.certs.activities.crypto.Pem;
import ai.thinkheads.phoenix.certs.activities.issuer.stepca.StepCaIssuer;
import ai.thinkheads.phoenix.certs.activities.steps.CommandStep;
import ai.thinkheads.phoenix.certs.activities.steps.ReadbackVerifier;
import ai.thinkheads.phoenix.certs.activities.steps.TlsVerifier;
import ai.thinkheads.phoenix.certs.activities.testing.HistoryScan;
import ai.thinkheads.phoenix.certs.activities.testing.Polling;
import ai.thinkheads.phoenix.certs.activities.testing.RecordingCodec;
import ai.thinkheads.phoenix.certs.activities.testing.guest.SimulatedGuest;
import ai.thinkheads.phoenix.certs.activities.testing.guest.SimulatedGuests;
import ai.thinkheads.phoenix.certs.activities.testing.stepca.StepCaExtension;
import ai.thinkheads.phoenix.certs.activities.testing.stepca.StepCaServer;
import ai.thinkheads.phoenix.certs.activities.transport.LocalTransportFactory;
import ai.thinkheads.phoenix.certs.activities.transport.ssh.SshConnectionPool;
import ai.thinkheads.phoenix.certs.activities.transport.ssh.SshTransportFactory;
import ai.thinkheads.phoenix.certs.activities.trust.TrustActivitiesImpl;
import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateStatus;
import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateStatus.Outcome;
import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateWorkflow;
import ai.thinkheads.phoenix.certs.activities.testing.CertificateWorkers;
import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateRun;
import ai.thinkheads.phoenix.certs.workflows.guest.OnboardingRequest;
import ai.thinkheads.phoenix.certs.workflows.guest.GuestOnboardingStatus;
import ai.thinkheads.phoenix.certs.workflows.guest.GuestOnboardingWorkflow;
import ai.thinkheads.phoenix.certs.workflows.guest.GuestOnboardingWorkflowImpl;
import ai.thinkheads.phoenix.certs.workflows.guest.TrustTarget;
import ai.thinkheads.phoenix.certs.workflows.model.CertificateFiles;
import ai.thinkheads.phoenix.certs.workflows.model.CertificateSpec;
import ai.thinkheads.phoenix.certs.workflows.model.KeyAlgorithm;
import ai.thinkheads.phoenix.certs.workflows.model.KeyUsage;
import ai.thinkheads.phoenix.certs.workflows.model.StepSpec;
import ai.thinkheads.phoenix.certs.workflows.model.TargetSpec;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Root distribution and renewal with the real step-ca, real sshd guests and Temporal's test server. */
@ExtendWith(StepCaExtension.class)
class StepCaGuestLifecycleTest {

  @RegisterExtension
  static final SimulatedGuests GUESTS = SimulatedGuests.count(2);

  @TempDir
  Path dir;

  TestWorkflowEnvironment env;
  SshConnectionPool pool;
  StepCaServer ca;
  SpecSteps certificates;
  RecordingCodec recorder;

  @BeforeEach
  void setUp(StepCaServer server) {
    ca = server;
    ca.start(); // another test may have left it stopped
    pool = new SshConnectionPool();
    CommandStep command = new CommandStep();
    PluginRegistry catalog = PluginRegistry.of(new SshTransportFactory(pool), new LocalTransportFactory(),
        command, new ReadbackVerifier(), new TlsVerifier());
    TestEstate estate = new TestEstate(new StepCaIssuer(ca.config())).caHealthUrl(ca.url() + "/health");
    certificates = new SpecSteps(estate, catalog);
    recorder = new RecordingCodec();
    env = TestWorkflowEnvironment.newInstance(TestEnvironmentOptions.newBuilder().setUseTimeskipping(false)
        .setWorkflowClientOptions(WorkflowClientOptions.newBuilder().setDataConverter(recorder.dataConverter())
            .build())
        .build());
    Worker worker = env.newWorker(CertificateWorkflow.TASK_QUEUE);
    worker.registerWorkflowImplementationTypes(GuestOnboardingWorkflowImpl.class);
    CertificateWorkers.register(worker, env.getWorkflowClient(), certificates.authority(), certificates.activities(),
        new TrustActivitiesImpl(new Authority(() -> estate), catalog));
    env.start();
  }

  @AfterEach
  void tearDown() {
    ca.start();
    env.close();
    pool.close();
  }

  @Test
  void aNewGuestTrustsTheRootAndReachesTheCaOverTls() throws Exception {
    SimulatedGuest guest = GUESTS.guest(1);
    int vmid = 200 + guest.port() % 100;
    TargetSpec target = new TargetSpec("ssh", "lxc/" + vmid, guest.sshOptions(GUESTS.keys().ed25519()));
    String health = ca.url() + "/health";
    certificates.estate().put(new Guest("lxc/" + vmid, vmid, null, "lxc", target, List.of("system", "docker",
        "traefik")));
    String workflowId = GuestOnboardingWorkflow.workflowIdFor(String.valueOf(vmid));

    GuestOnboardingStatus first = onboard(workflowId);
    String capture = System.getProperty("phoenix.captureHistory");
    if (capture != null) {
      Files.writeString(Path.of(capture), env.getWorkflowClient().fetchHistory(workflowId).toJson(true));
    }
    assertTrue(first.verified().contains("curl " + health + " from the guest succeeded"), first.verified());
    String bundle = Files.readString(guest.hostPath("/etc/ssl/certs/ca-certificates.crt")).replaceAll("\\s", "");
    String root = Pem.encode(ca.root()).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    assertTrue(bundle.contains(root), "the guest's own bundle holds the step-ca root");
    String hostBundle = Files.readString(Path.of("/etc/ssl/certs/ca-certificates.crt")).replaceAll("\\s", "");
    assertTrue(!hostBundle.contains(root), "only the guest's store changed, not this machine's");
    Path docker = guest.hostPath("/etc/docker/certs.d/" + ca.url().getHost() + ":" + ca.url().getPort() + "/ca.crt");
    assertEquals(CertificateFacts.fingerprint(ca.root()),
        CertificateFacts.fingerprint(Pem.certificates(Files.readString(docker)).get(0)));
    assertTrue(Files.exists(guest.hostPath("/etc/traefik/ssl/phoenix_ca.crt")));
    assertEquals(3, first.installed().size(), first.toString());

    FileTime before = Files.getLastModifiedTime(guest.hostPath("/usr/local/share/ca-certificates/phoenix_ca.crt"));
    GuestOnboardingStatus again = onboard(workflowId);
    assertEquals(List.of(), again.installed(), "a guest that already trusts the root is left untouched");
    assertEquals(3, again.unchanged().size());
    assertEquals(before,
        Files.getLastModifiedTime(guest.hostPath("/usr/local/share/ca-certificates/phoenix_ca.crt")));
  }

  @Test
  void theCaDownDuringARenewalIsRetriedAndTheRenewalCompletes() throws Exception {
    CertificateSpec spec = new CertificateSpec("outage", new TargetSpec("local", "local/test", Map.of()),
        StepCaIssuer.TYPE, "outage.internal.test", List.of("outage.internal.test"), KeyAlgorithm.ECDSA_P256,
        null, Duration.ofHours(1), 0, null,
        new CertificateFiles(dir.resolve("outage.crt").toString(), dir.resolve("outage.key").toString(), null, null,
            null, null), StepSpec.none(), StepSpec.none(), new StepSpec("readback", List.of(), Map.of()), List.of());
    WorkflowClient client = env.getWorkflowClient();
    certificates.estate().put(spec);
    WorkflowClient.start(client.newWorkflowStub(CertificateWorkflow.class, WorkflowOptions.newBuilder()
        .setWorkflowId(spec.workflowId()).setTaskQueue(CertificateWorkflow.TASK_QUEUE).build())::run,
        CertificateRun.first(spec.name()));
    CertificateWorkflow workflow = client.newWorkflowStub(CertificateWorkflow.class, spec.workflowId());
    CertificateStatus issued = await(workflow, Outcome.ISSUED, 60);

    ca.stop();
    workflow.renewNow();
    Thread.sleep(4000); // the renewal meets a dead CA and is retried
    ca.start();
    CertificateStatus renewed = await(workflow, Outcome.RENEWED, 90);
    assertNotEquals(issued.serial(), renewed.serial());
    assertEquals(renewed.serial(), certificates.inspect(spec).serial());
    assertTrue(certificates.inspect(spec).usable());

    // The replaced certificate (now the backup) can be revoked as a step; a serial the target never held cannot.
    assertEquals(issued.serial(), certificates.revoke(spec, issued.serial()));
    io.temporal.failure.ApplicationFailure unknown = org.junit.jupiter.api.Assertions.assertThrows(
        io.temporal.failure.ApplicationFailure.class, () -> certificates.revoke(spec, "abc123"));
    assertTrue(unknown.getOriginalMessage().contains("no certificate with serial abc123"));

    // Nothing secret went to Temporal: no key (the live one, the replaced one) and not the provisioner password.
    List<String> secrets = new java.util.ArrayList<>(HistoryScan.fingerprintsOf(Path.of(spec.files().key())));
    secrets.addAll(HistoryScan.fingerprintsOf(Path.of(spec.files().key() + ".bak")));
    secrets.add(Files.readString(ca.passwordFile()).strip());
    List<String> stored = recorder.payloads();
    assertTrue(stored.stream().anyMatch(p -> p.contains("BEGIN CERTIFICATE")), "the scan sees inside payloads");
    assertEquals(List.of(), HistoryScan.hits(stored, secrets));
  }

  private GuestOnboardingStatus onboard(String workflowId) {
    GuestOnboardingWorkflow workflow = env.getWorkflowClient().newWorkflowStub(GuestOnboardingWorkflow.class,
        WorkflowOptions.newBuilder().setWorkflowId(workflowId).setTaskQueue(CertificateWorkflow.TASK_QUEUE)
            .build());
    return workflow.onboard(new OnboardingRequest("test"));
  }

  private static CertificateStatus await(CertificateWorkflow workflow, Outcome outcome, int seconds)
      throws InterruptedException {
    return Polling.await(workflow::status, s -> s.lastOutcome() == outcome, Duration.ofSeconds(seconds),
        Duration.ofMillis(250));
  }
}
