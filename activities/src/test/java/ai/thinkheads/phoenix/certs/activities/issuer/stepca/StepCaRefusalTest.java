package ai.thinkheads.phoenix.certs.activities.issuer.stepca;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.thinkheads.phoenix.certs.activities.certificate.CertificateActivitiesImpl;
import ai.thinkheads.phoenix.certs.activities.crypto.Pem;
import ai.thinkheads.phoenix.certs.activities.estate.Authority;
import ai.thinkheads.phoenix.certs.activities.steps.ReadbackVerifier;
import ai.thinkheads.phoenix.certs.activities.plugin.PluginRegistry;
import ai.thinkheads.phoenix.certs.activities.testing.RunWatch;
import ai.thinkheads.phoenix.certs.activities.testing.TestEstate;
import ai.thinkheads.phoenix.certs.activities.testing.stepca.StepCaExtension;
import ai.thinkheads.phoenix.certs.activities.testing.stepca.StepCaServer;
import ai.thinkheads.phoenix.certs.activities.transport.LocalTransportFactory;
import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateRun;
import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateStatus;
import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateStatus.Outcome;
import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateWorkflow;
import ai.thinkheads.phoenix.certs.activities.testing.CertificateWorkers;
import ai.thinkheads.phoenix.certs.workflows.model.CertificateFiles;
import ai.thinkheads.phoenix.certs.workflows.model.CertificateSpec;
import ai.thinkheads.phoenix.certs.workflows.model.KeyAlgorithm;
import ai.thinkheads.phoenix.certs.workflows.model.KeyUsage;
import ai.thinkheads.phoenix.certs.workflows.model.StepSpec;
import ai.thinkheads.phoenix.certs.workflows.model.TargetSpec;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real step-ca that answers with certificates the project must refuse (a provisioner template forcing the
 * subject; step-ca's default usages for a certificate that asked for client only): each is refused, naming the
 * field, and the pair on the target stays as it was. Then renewNow, again and again, on such a certificate: on
 * Temporal's time-skipping test server two minutes pass in seconds, and the CA's request log shows one signature,
 * not a loop; renew --force (renewForce) makes exactly one more attempt.
 */
@ExtendWith(StepCaExtension.class)
class StepCaRefusalTest {

  static final String ID = "cert/portainer-server-client";

  @TempDir
  Path dir;

  TestWorkflowEnvironment env;
  TestEstate estate;
  StepCaServer ca;

  @BeforeEach
  void start(StepCaServer server) {
    ca = server;
    ca.start();
    env = TestWorkflowEnvironment.newInstance();
    // the certificate starts out from another CA (a setup script's), so step-ca signs through the provisioner
    // (and its template) instead of renewing over mTLS, which keeps the old subject
    estate = new TestEstate(new ai.thinkheads.phoenix.certs.activities.issuer.LocalCaIssuer(dir.resolve("old-ca"),
        "Setup script CA"));
    Worker worker = env.newWorker(CertificateWorkflow.TASK_QUEUE);
    Authority authority = new Authority(() -> estate);
    CertificateWorkers.register(worker, env.getWorkflowClient(), authority, new CertificateActivitiesImpl(authority,
        PluginRegistry.of(new LocalTransportFactory(), new ReadbackVerifier()),
        realTime()));
    env.start();
  }

  /** The CA dates certificates by its own clock, so answers are judged by the real one here. */
  private static java.time.Clock realTime() {
    return java.time.Clock.systemUTC();
  }

  @AfterEach
  void stop() {
    env.close();
  }

  @Test
  void aForcedSubjectAndExtraUsagesAreRefusedAndRenewNowDoesNotMakeALoop() throws Exception {
    CertificateSpec spec = spec(null);
    CertificateWorkflow workflow = start(spec);
    CertificateStatus issued = await(workflow, null, s -> s.lastOutcome() == Outcome.ISSUED);
    String pair = pair(spec);

    // step-ca through a provisioner whose template forces the subject
    estate.issuer(new StepCaIssuer(ca.config(StepCaServer.FORCED_SUBJECT)));
    String run = runId(workflow);
    workflow.renewNow();
    CertificateStatus subject = await(workflow, run, s -> s.lastOutcome() == Outcome.FAILED);
    assertEquals("IssuerRejected", subject.failure());
    assertTrue(subject.lastError().contains("subject: asked CN=portainer-server, got CN=fixed-subject,O=Evil Org"),
        subject.lastError());
    assertEquals(pair, pair(spec), "the pair on the target is unchanged");
    assertFalse(Files.exists(Path.of(spec.files().key() + ".staged")), "nothing of the attempt is left");
    assertEquals(issued.serial(), subject.serial());

    // renewNow on it, again and again, for two minutes: a failure that needs a change waits the longest backoff
    long signs = ca.signRequests();
    Instant backoffEnds = subject.nextRenewal();
    for (int i = 0; i < 12; i++) {
      workflow.renewNow();
    }
    env.sleep(Duration.ofMinutes(2));
    assertEquals(signs, ca.signRequests(), "no signature during the backoff, whatever renewNow says");
    CertificateStatus waiting = workflow.status();
    assertEquals(1, waiting.consecutiveFailures());
    assertEquals(backoffEnds, waiting.nextRenewal(), "the status shows the true next attempt");
    assertTrue(waiting.phase().startsWith("backing off until") && waiting.phase().contains("needs a change"),
        waiting.phase());
    assertTrue(Duration.between(subject.lastAttempt(), backoffEnds).compareTo(Duration.ofMinutes(5)) > 0,
        "the longest backoff at once: " + Duration.between(subject.lastAttempt(), backoffEnds));

    // --force: one attempt now, and one only
    run = runId(workflow);
    workflow.renewForce();
    await(workflow, run, s -> s.consecutiveFailures() == 2);
    env.sleep(Duration.ofMinutes(1));
    assertEquals(signs + 1, ca.signRequests(), "renewForce made one attempt");
    assertEquals(2, workflow.status().consecutiveFailures());

    // step-ca's own provisioner, with its default usages, for a certificate that asked for client only
    estate.issuer(new StepCaIssuer(ca.config()));
    estate.put(spec(List.of(KeyUsage.CLIENT)));
    run = runId(workflow);
    workflow.inventoryChanged(); // what reconcile sends for the edit: it ends the backoff
    CertificateStatus usage = await(workflow, run, s -> s.consecutiveFailures() == 3);
    assertTrue(usage.lastError().contains("extended key usage: asked [clientAuth], got [clientAuth, serverAuth]"),
        usage.lastError());
    assertEquals(pair, pair(spec), "the pair on the target is unchanged");
  }

  private CertificateSpec spec(List<KeyUsage> usages) {
    return new CertificateSpec("portainer-server-client", new TargetSpec("local", "local/test", Map.of()),
        StepCaIssuer.TYPE, "portainer-server", List.of("portainer-server.internal.test"), KeyAlgorithm.ECDSA_P256,
        usages, Duration.ofHours(1), 0, null, new CertificateFiles(dir.resolve("client.crt").toString(),
            dir.resolve("client.key").toString(), null, null, null, null),
        StepSpec.none(), StepSpec.none(), new StepSpec("readback", List.of(), Map.of()), List.of());
  }

  private CertificateWorkflow start(CertificateSpec spec) {
    estate.put(spec);
    CertificateWorkflow workflow = env.getWorkflowClient().newWorkflowStub(CertificateWorkflow.class,
        WorkflowOptions.newBuilder().setWorkflowId(spec.workflowId()).setTaskQueue(CertificateWorkflow.TASK_QUEUE)
            .build());
    WorkflowClient.start(workflow::run, CertificateRun.first(spec.name()));
    return workflow;
  }

  private String pair(CertificateSpec spec) throws Exception {
    String cert = Files.readString(Path.of(spec.files().cert()));
    Pem.certificates(cert); // readable
    return Files.readString(Path.of(spec.files().key())) + cert;
  }

  private CertificateStatus await(CertificateWorkflow workflow, String previousRun,
      Predicate<CertificateStatus> done) throws InterruptedException {
    return new RunWatch(env.getWorkflowClient(), ID).awaitWaiting(previousRun, done, Duration.ofSeconds(60));
  }

  private String runId(CertificateWorkflow workflow) {
    return new RunWatch(env.getWorkflowClient(), ID).runId();
  }
}
