package ai.thinkheads.phoenix.certs.worker.rotation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.thinkheads.phoenix.certs.activities.crypto.Pem;
import ai.thinkheads.phoenix.certs.activities.plugin.PluginRegistry;
import ai.thinkheads.phoenix.certs.activities.testing.Polling;
import ai.thinkheads.phoenix.certs.activities.testing.guest.SimulatedGuests;
import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateStatus;
import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateWorkflow;
import ai.thinkheads.phoenix.certs.workflows.rotation.RotationPhase;
import ai.thinkheads.phoenix.certs.workflows.rotation.RotationProgress;
import ai.thinkheads.phoenix.certs.workflows.rotation.RotationRequest;
import ai.thinkheads.phoenix.certs.workflows.rotation.RotationTarget;
import ai.thinkheads.phoenix.certs.workflows.rotation.RotationWorkflow;
import ai.thinkheads.phoenix.certs.worker.inventory.InventoryStore;
import ai.thinkheads.phoenix.certs.worker.temporal.TemporalConnection;
import ai.thinkheads.phoenix.certs.worker.testing.FreePort;
import ai.thinkheads.phoenix.certs.worker.testing.SharedNginxEstate;
import ai.thinkheads.phoenix.certs.worker.testing.WorkerProcesses;
import io.micronaut.context.ApplicationContext;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A root rotation survives its worker: worker JVMs started as operators start them ({@code run --inventory}),
 * SIGKILLed in the middle of the overlap, of re-issuing, of the grace period and of retiring, on a Temporal server
 * in this JVM, with two local CAs (each its own root) and two sshd guests (the first serving its certificate
 * through nginx). Each restarted worker carries the rotation on from where it was, and the guests show it: their
 * trust bundles, the chain files and what nginx serves. And abort during re-issue, through a worker JVM: both
 * roots stay in every guest's bundle and the old CA issues the next renewals.
 */
class CaRotationRestartTest {

  static final Duration LIMIT = Duration.ofMinutes(3);

  @RegisterExtension
  static final SimulatedGuests GUESTS = SimulatedGuests.count(2);

  @TempDir
  Path dir;

  private TemporalConnection temporal;
  private WorkerProcesses workers;
  private SharedNginxEstate estate;
  private WorkflowClient client;
  private int port;
  private Process worker;

  @BeforeEach
  void start() throws Exception {
    port = FreePort.next();
    temporal = TemporalConnection.embedded(port);
    client = temporal.client();
    workers = new WorkerProcesses(dir);
    estate = new SharedNginxEstate(GUESTS, new SharedNginxEstate.Layout(2, 1, 1, false), dir);
  }

  @AfterEach
  void stop() throws Exception {
    workers.close();
    estate.close();
    temporal.close();
    // the guests serve the whole run: leave their trust stores as a new guest has them
    for (int g = 0; g < 2; g++) {
      GUESTS.guest(g).resetTrust();
    }
  }

  @Test
  void killedInEachPhaseTheRotationResumesAndFinishesOnTheNewRoot() throws Exception {
    X509Certificate[] roots = issueAndOnboard();
    X509Certificate oldRoot = roots[0];
    X509Certificate newRoot = roots[1];
    CaRotationEndToEndTest.Probe probe = new CaRotationEndToEndTest.Probe(estate.port(0),
        SharedNginxEstate.serverName(0, 0), bundle(0));
    probe.start();
    try {
      startRotation();
      // four SIGKILLs: in the overlap, in re-issue, in the grace period, while retiring
      RotationProgress overlap = awaitRotation(p -> p.phase() == RotationPhase.OVERLAP);
      kill();
      assertTrue(overlap.guestsDone() < 2, "killed before the overlap was over: " + overlap);
      worker = workers.start(estate.inventory(), port, "after-overlap-kill");

      // concurrency 1: the kill lands with one certificate on the new root and the other under way
      RotationProgress reissuing = awaitRotation(p -> p.phase() == RotationPhase.REISSUE
          && p.certificatesDone() == 1);
      assertEquals(2, reissuing.guestsDone(), "the overlap the killed worker began finished: " + reissuing);
      for (int g = 0; g < 2; g++) {
        assertEquals(List.of(true, true), List.of(trusts(g, oldRoot), trusts(g, newRoot)), "guest " + g);
      }
      kill();
      worker = workers.start(estate.inventory(), port, "after-reissue-kill");

      RotationProgress grace = awaitRotation(p -> p.phase() == RotationPhase.GRACE);
      assertEquals(2, grace.certificatesDone(), grace.toString());
      assertChainsTo(newRoot);
      for (int g = 0; g < 2; g++) {
        assertEquals(List.of(true, true), List.of(trusts(g, oldRoot), trusts(g, newRoot)), "guest " + g);
      }
      // killed in the grace period, and again while retiring: the replacements carry on
      kill();
      worker = workers.start(estate.inventory(), port, "in-grace-kill");
      client.newWorkflowStub(RotationWorkflow.class, RotationWorkflow.WORKFLOW_ID).retireNow();
      awaitRotation(p -> p.phase() == RotationPhase.RETIRE);
      kill();
      worker = workers.start(estate.inventory(), port, "in-retire-kill");
      RotationProgress done = awaitRotation(p -> p.phase() == RotationPhase.DONE);
      assertEquals(2, done.guestsDone(), done.toString());
      assertEquals(2, done.certificatesDone(), done.toString());
    } finally {
      probe.stop();
    }
    for (int g = 0; g < 2; g++) {
      assertEquals(List.of(false, true), List.of(trusts(g, oldRoot), trusts(g, newRoot)),
          "guest " + g + "'s bundle: old root gone, new root in");
    }
    assertChainsTo(newRoot);
    assertNull(CaRotationEndToEndTest.chainProblem(probe.lastServed.get(), newRoot), "nginx serves the new chain");
    for (String id : estate.workflowIds()) {
      // issued once, re-issued once: no phase began again after a kill
      assertEquals(2, status(id).renewals(), id + " renewals");
    }
    assertTrue(probe.successes.get() > 20, "the probe ran: " + probe.successes.get());
    assertEquals(List.of(), probe.failures, "no handshake failed, kills included");
  }

  @Test
  void abortDuringReissueKeepsBothRootsAndTheOldCaIssues() throws Exception {
    X509Certificate[] roots = issueAndOnboard();
    X509Certificate oldRoot = roots[0];
    X509Certificate newRoot = roots[1];
    startRotation();
    // as soon as re-issuing begins: with one certificate at a time, the second cannot be done yet
    awaitRotation(p -> p.phase() == RotationPhase.REISSUE);
    client.newWorkflowStub(RotationWorkflow.class, RotationWorkflow.WORKFLOW_ID).abort();
    RotationProgress aborted = awaitRotation(p -> p.phase() == RotationPhase.ABORTED);
    assertTrue(aborted.certificatesDone() < 2, aborted.toString());
    for (int g = 0; g < 2; g++) {
      assertEquals(List.of(true, true), List.of(trusts(g, oldRoot), trusts(g, newRoot)), "guest " + g);
    }

    // let any renewal the abort caught under way end, then renew everything: the old CA issues
    estate.awaitAll(client, CaRotationRestartTest::idle, LIMIT);
    Map<String, Integer> before = new HashMap<>();
    for (String id : estate.workflowIds()) {
      before.put(id, status(id).renewals());
    }
    estate.renewAll(client);
    for (String id : estate.workflowIds()) {
      Polling.await(() -> status(id), s -> s.renewals() > before.get(id) && idle(s), LIMIT, Duration.ofMillis(250));
    }
    assertChainsTo(oldRoot);
    assertNull(CaRotationEndToEndTest.chainProblem(served(), oldRoot), "nginx serves a chain to the old root");
    for (int g = 0; g < 2; g++) {
      assertEquals(List.of(true, true), List.of(trusts(g, oldRoot), trusts(g, newRoot)),
          "guest " + g + " still trusts both roots after the renewals");
    }
  }

  /** Issues from the first CA, onboards the guests, then names the next CA; returns {old root, new root}. */
  private X509Certificate[] issueAndOnboard() throws Exception {
    worker = workers.start(estate.inventory(), port, "first");
    estate.awaitAll(client, s -> s.renewals() == 1 && idle(s), LIMIT);
    for (int g = 0; g < 2; g++) {
      CaRotationEndToEndTest.onboard(client, 2000 + g);
    }
    X509Certificate oldRoot = Pem.certificates(Files.readString(dir.resolve("ca/root_ca.crt"))).get(0);
    assertChainsTo(oldRoot);
    // the operator names the next CA; the worker restarted on that inventory knows it (the local CA makes it)
    String yaml = Files.readString(estate.inventory());
    Files.writeString(estate.inventory(), yaml.replaceFirst("ca: \\{type: local, dataDir: ([^}]*)\\}",
        "ca: {type: local, dataDir: $1, next: {type: local, dataDir: " + dir.resolve("ca2") + "}}"));
    X509Certificate newRoot;
    try (ApplicationContext context = ApplicationContext.run()) {
      newRoot = InventoryStore.open(estate.inventory(), context.getBean(PluginRegistry.class)).get().caPair()
          .orElseThrow().to().root();
    }
    kill();
    worker = workers.start(estate.inventory(), port, "second");
    assertFalse(newRoot.equals(oldRoot));
    for (int g = 0; g < 2; g++) {
      assertEquals(List.of(true, false), List.of(trusts(g, oldRoot), trusts(g, newRoot)), "guest " + g);
    }
    return new X509Certificate[] {oldRoot, newRoot};
  }

  private void startRotation() {
    RotationWorkflow rotation = client.newWorkflowStub(RotationWorkflow.class, WorkflowOptions.newBuilder()
        .setWorkflowId(RotationWorkflow.WORKFLOW_ID).setTaskQueue(CertificateWorkflow.TASK_QUEUE).build());
    WorkflowClient.start(rotation::rotate, new RotationRequest(RotationTarget.NEXT, "test", Duration.ofHours(1),
        false, 1));
  }

  private RotationProgress awaitRotation(Predicate<RotationProgress> condition) throws Exception {
    RotationWorkflow running = client.newWorkflowStub(RotationWorkflow.class, RotationWorkflow.WORKFLOW_ID);
    Process current = worker;
    return Polling.await(() -> {
      assertTrue(current.isAlive(), "the worker exited");
      return running.progress();
    }, condition, LIMIT, Duration.ofMillis(200));
  }

  /** SIGKILL: no shutdown hook, no drain. */
  private void kill() throws InterruptedException {
    worker.destroyForcibly().waitFor();
  }

  private CertificateStatus status(String id) {
    return client.newWorkflowStub(CertificateWorkflow.class, id).status();
  }

  private static boolean idle(CertificateStatus status) {
    return status.phase() != null
        && (status.phase().startsWith("waiting until") || status.phase().startsWith("backing off"));
  }

  private static Path bundle(int g) {
    return GUESTS.guest(g).hostPath("/etc/ssl/certs/ca-certificates.crt");
  }

  /** Whether guest {@code g}'s system bundle holds {@code root}. */
  private static boolean trusts(int g, X509Certificate root) throws Exception {
    return Pem.certificates(Files.readString(bundle(g))).contains(root);
  }

  /** Every certificate's live chain file, on its guest, leads to {@code root}. */
  private static void assertChainsTo(X509Certificate root) throws Exception {
    for (int g = 0; g < 2; g++) {
      List<X509Certificate> chain = Pem.certificates(Files.readString(GUESTS.guest(g).hostPath(
          SharedNginxEstate.certFile(g, 0))));
      assertNull(CaRotationEndToEndTest.chainProblem(chain, root), "guest " + g + "'s certificate");
    }
  }

  /** What nginx on guest 0 serves, judged by nobody (the caller checks the chain). */
  private List<X509Certificate> served() throws Exception {
    CaRotationEndToEndTest.Probe look = new CaRotationEndToEndTest.Probe(estate.port(0),
        SharedNginxEstate.serverName(0, 0), bundle(0));
    look.start();
    try {
      Polling.await(look.lastServed::get, chain -> chain != null, Duration.ofSeconds(30), Duration.ofMillis(100));
    } finally {
      look.stop();
    }
    return look.lastServed.get();
  }
}
