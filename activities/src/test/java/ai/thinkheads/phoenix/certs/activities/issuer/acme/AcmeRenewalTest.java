package ai.thinkheads.phoenix.certs.activities.issuer.acme;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.thinkheads.phoenix.certs.activities.certificate.CertificateActivitiesImpl;
import ai.thinkheads.phoenix.certs.activities.crypto.CertificateFacts;
import ai.thinkheads.phoenix.certs.activities.crypto.Pem;
import ai.thinkheads.phoenix.certs.activities.estate.Authority;
import ai.thinkheads.phoenix.certs.activities.issuer.IssuerContext;
import ai.thinkheads.phoenix.certs.activities.issuer.RevocationReason;
import ai.thinkheads.phoenix.certs.activities.plugin.PluginRegistry;
import ai.thinkheads.phoenix.certs.activities.steps.CommandStep;
import ai.thinkheads.phoenix.certs.activities.steps.ReadbackVerifier;
import ai.thinkheads.phoenix.certs.activities.steps.TlsVerifier;
import ai.thinkheads.phoenix.certs.activities.testing.GuestNginx;
import ai.thinkheads.phoenix.certs.activities.testing.HistoryScan;
import ai.thinkheads.phoenix.certs.activities.testing.Polling;
import ai.thinkheads.phoenix.certs.activities.testing.TestEstate;
import ai.thinkheads.phoenix.certs.activities.testing.acme.AcmeTestbed;
import ai.thinkheads.phoenix.certs.activities.testing.acme.ChallengeNginx;
import ai.thinkheads.phoenix.certs.activities.testing.acme.PebbleServer;
import ai.thinkheads.phoenix.certs.activities.testing.guest.SimulatedGuest;
import ai.thinkheads.phoenix.certs.activities.testing.guest.SimulatedGuests;
import ai.thinkheads.phoenix.certs.activities.testing.stepca.StepCaServer;
import ai.thinkheads.phoenix.certs.activities.transport.Transport;
import ai.thinkheads.phoenix.certs.activities.transport.ssh.SshConnectionPool;
import ai.thinkheads.phoenix.certs.activities.transport.ssh.SshTransportFactory;
import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateRun;
import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateStatus;
import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateStatus.Outcome;
import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateWorkflow;
import ai.thinkheads.phoenix.certs.activities.testing.CertificateWorkers;
import ai.thinkheads.phoenix.certs.workflows.model.CertificateFiles;
import ai.thinkheads.phoenix.certs.workflows.model.CertificateSpec;
import ai.thinkheads.phoenix.certs.workflows.model.KeyAlgorithm;
import ai.thinkheads.phoenix.certs.workflows.model.StepSpec;
import ai.thinkheads.phoenix.certs.workflows.model.TargetSpec;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The acme issuer through the normal renewal workflow (Temporal's test server, the real CertificateWorkflowImpl
 * and activities) against two real ACME CAs: step-ca's ACME provisioner (root pinned by fingerprint) and Debian's
 * pebble (a CA bundle and a root file). http-01 is answered by a real nginx in an sshd guest, the webroot written
 * over ssh; the CAs resolve the names through a test DNS to the guest's address. Issued, deployed, reloaded,
 * verified over TLS; then the name points where nothing listens, and the renewal fails with the CA's reason,
 * leaving the old pair served and no challenge file behind. Last, the certificate is revoked through the account.
 */
@ExtendWith(AcmeTestbed.class)
class AcmeRenewalTest {

  @RegisterExtension
  static final SimulatedGuests GUESTS = SimulatedGuests.count(1);

  /** A CA that keeps a failed challenge pending (step-ca 0.19) is given this long before the attempt fails. */
  static final Duration CHALLENGE_TIMEOUT = Duration.ofSeconds(3);

  static SshConnectionPool pool;
  static SshTransportFactory ssh;
  static Transport guest;
  static ChallengeNginx web;

  @TempDir
  Path dir;

  @BeforeAll
  static void startWebServer(AcmeTestbed testbed) {
    SimulatedGuest simulated = GUESTS.guest(0);
    pool = new SshConnectionPool();
    ssh = new SshTransportFactory(pool);
    guest = ssh.open(target());
    web = new ChallengeNginx(simulated, testbed.webAddress(), List.of(80, testbed.pebbleHttpPort()));
    web.start(guest);
  }

  @AfterAll
  static void stopWebServer() {
    if (web != null) {
      web.stop(guest);
    }
    pool.close();
  }

  @Test
  void stepCaAcmeProvisionerWithThePinnedRoot(AcmeTestbed testbed) throws Exception {
    StepCaServer ca = testbed.stepCa();
    AcmeConfig config = new AcmeConfig(ca.acmeDirectory(), ca.fingerprint(), null, null,
        dir.resolve("acme/account.pem"), null, web.webroot(), CHALLENGE_TIMEOUT);
    String reason = renewThenFailToReach(testbed, config, "web.stepca.acme.test", ca.root());
    // step-ca 0.19 keeps the challenge pending with its error: the issuer reports it after the timeout
    assertTrue(reason.contains("could not connect to validation target"), reason);
  }

  @Test
  void pebbleWithACaBundleAndARootFile(AcmeTestbed testbed) throws Exception {
    PebbleServer pebble = testbed.pebble();
    AcmeConfig config = new AcmeConfig(pebble.directory(), null, pebble.caBundle(), pebble.rootFile(),
        dir.resolve("acme/account.pem"), "ops@phoenix.test", web.webroot(), CHALLENGE_TIMEOUT);
    X509Certificate root = Pem.certificates(Files.readString(pebble.rootFile())).get(0);
    String reason = renewThenFailToReach(testbed, config, "web.pebble.acme.test", root);
    assertTrue(reason.contains("connection refused"), reason);
  }

  /** The whole scenario on one CA; returns the failed renewal's error. */
  private String renewThenFailToReach(AcmeTestbed testbed, AcmeConfig config, String name, X509Certificate root)
      throws Exception {
    PluginRegistry plugins = PluginRegistry.of(ssh, new CommandStep(), new ReadbackVerifier(), new TlsVerifier());
    TestEstate estate = new TestEstate(null);
    AcmeIssuer issuer = new AcmeIssuer(config, IssuerContext.of(() -> estate, plugins));
    estate.issuer(issuer);
    GuestNginx tls = new GuestNginx(GUESTS.guest(0), "acme-" + name.split("\\.")[1], name);
    CertificateSpec spec = spec(name, tls);
    estate.put(spec);
    try (TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance(TestEnvironmentOptions.newBuilder()
        .setUseTimeskipping(false)
        // a query that lands on a run as it continues-as-new waits out this deadline (10 s by default)
        .setWorkflowServiceStubsOptions(WorkflowServiceStubsOptions.newBuilder()
            .setRpcQueryTimeout(Duration.ofSeconds(1)).build())
        .build())) {
      Worker worker = env.newWorker(CertificateWorkflow.TASK_QUEUE);
      Authority authority = new Authority(() -> estate);
      CertificateWorkers.register(worker, env.getWorkflowClient(), authority,
          new CertificateActivitiesImpl(authority, plugins));
      env.start();
      WorkflowClient client = env.getWorkflowClient();
      CertificateWorkflow workflow = client.newWorkflowStub(CertificateWorkflow.class, WorkflowOptions.newBuilder()
          .setWorkflowId(spec.workflowId()).setTaskQueue(CertificateWorkflow.TASK_QUEUE).build());
      WorkflowClient.start(workflow::run, CertificateRun.first(spec.name()));

      CertificateStatus issued = await(workflow, s -> s.lastOutcome() == Outcome.ISSUED
          || s.lastOutcome() == Outcome.FAILED);
      assertEquals(Outcome.ISSUED, issued.lastOutcome(), issued.lastError());
      assertEquals(issued.serial(), tls.servedSerial(), "nginx serves the certificate the ACME CA issued");
      X509Certificate leaf = Pem.certificates(Files.readString(GUESTS.guest(0).hostPath(
          GuestNginx.certPath(tls.name())))).get(0);
      assertEquals(List.of(name), CertificateFacts.sansOf(leaf));
      assertTrue(web.accessLog().contains("GET /.well-known/acme-challenge/"), "the CA fetched the answer from "
          + "the guest's nginx");
      assertEquals(List.of(), web.leftovers(), "the challenge answer was removed");
      assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(
          config.accountKeyFile())), "the account key was made owner-only");
      assertEquals(root, issuer.root());

      testbed.dns().point(name, testbed.unreachableAddress());
      try {
        workflow.renewNow();
        CertificateStatus failed = await(workflow, s -> s.lastOutcome() == Outcome.FAILED);
        assertTrue(failed.lastError().contains("http-01 for " + name + " failed"), failed.lastError());
        assertEquals(issued.serial(), tls.servedSerial(), "the old certificate is still served");
        assertEquals(issued.serial(), CertificateFacts.serialOf(Pem.certificates(Files.readString(
            GUESTS.guest(0).hostPath(GuestNginx.certPath(tls.name())))).get(0)), "the old pair is in place");
        // A requested renewal that failed is tried again at once (CertificateWorkflowImpl): end the workflow, then
        // every attempt, however far it got, must leave the webroot empty.
        WorkflowStub.fromTyped(workflow).terminate("test done");
        Polling.await(web::leftovers, List::isEmpty, Duration.ofSeconds(15), Duration.ofMillis(100));
        List<String> secrets = new ArrayList<>(HistoryScan.fingerprintsOf(config.accountKeyFile()));
        secrets.addAll(HistoryScan.fingerprintsOf(GUESTS.guest(0).hostPath(GuestNginx.keyPath(tls.name()))));
        assertEquals(List.of(), HistoryScan.hits(List.of(payloads(client.fetchHistory(spec.workflowId())
            .toJson(false))), secrets), "no key in history");
        issuer.revoke(leaf, RevocationReason.SUPERSEDED);
        issuer.revoke(leaf, RevocationReason.SUPERSEDED); // the CA says "already revoked": the goal is reached
        return failed.lastError();
      } finally {
        testbed.dns().point(name, testbed.webAddress());
        tls.stop(guest);
      }
    }
  }

  private static CertificateSpec spec(String name, GuestNginx tls) {
    return new CertificateSpec("acme-" + name.split("\\.")[1], target(), AcmeIssuer.TYPE, name, List.of(name),
        KeyAlgorithm.ECDSA_P256, null, null, 0, null, // usage unstated: both, as ACME CAs issue them
        new CertificateFiles(GuestNginx.certPath(tls.name()), GuestNginx.keyPath(tls.name()), null, null, null,
            null),
        new StepSpec("command", tls.testArgv(), Map.of()),
        new StepSpec("command", tls.reloadArgv(), Map.of()),
        new StepSpec("tls", List.of(), Map.of("endpoint", tls.endpoint(), "serverName", name)), List.of());
  }

  private static TargetSpec target() {
    return new TargetSpec("ssh", "lxc/101", GUESTS.guest(0).sshOptions(GUESTS.keys().ed25519()));
  }

  private static CertificateStatus await(CertificateWorkflow workflow, Predicate<CertificateStatus> condition)
      throws InterruptedException {
    return Polling.await(workflow::status, condition, Duration.ofSeconds(60), Duration.ofMillis(100));
  }

  private static final Pattern PAYLOAD = Pattern.compile("\"data\":\\s*\"([A-Za-z0-9+/=]+)\"");

  /** Every payload of a history, decoded: what Temporal stores and the UI shows. */
  private static String payloads(String historyJson) {
    StringBuilder out = new StringBuilder();
    Matcher m = PAYLOAD.matcher(historyJson);
    while (m.find()) {
      out.append(new String(Base64.getDecoder().decode(m.group(1)), StandardCharsets.UTF_8)).append('\n');
    }
    return out.toString();
  }
}
