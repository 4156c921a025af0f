package ai.thinkheads.phoenix.certs.worker.rotation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.thinkheads.phoenix.certs.activities.crypto.CertificateFacts;
import ai.thinkheads.phoenix.certs.activities.crypto.Pem;
import ai.thinkheads.phoenix.certs.activities.plugin.PluginRegistry;
import ai.thinkheads.phoenix.certs.activities.testing.Polling;
import ai.thinkheads.phoenix.certs.activities.testing.guest.SimulatedGuests;
import ai.thinkheads.phoenix.certs.activities.testing.stepca.StepCaServer;
import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateWorkflow;
import ai.thinkheads.phoenix.certs.workflows.guest.GuestOnboardingWorkflow;
import ai.thinkheads.phoenix.certs.workflows.guest.OnboardingRequest;
import ai.thinkheads.phoenix.certs.workflows.rotation.RotationPhase;
import ai.thinkheads.phoenix.certs.workflows.rotation.RotationProgress;
import ai.thinkheads.phoenix.certs.workflows.rotation.RotationRequest;
import ai.thinkheads.phoenix.certs.workflows.rotation.RotationTarget;
import ai.thinkheads.phoenix.certs.workflows.rotation.RotationWorkflow;
import ai.thinkheads.phoenix.certs.worker.engine.Engine;
import ai.thinkheads.phoenix.certs.worker.inventory.InventoryStore;
import ai.thinkheads.phoenix.certs.worker.temporal.TemporalConnection;
import ai.thinkheads.phoenix.certs.worker.testing.SharedNginxEstate;
import io.micronaut.context.ApplicationContext;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A whole root rotation through the worker, with real components: two step-ca instances (each its own root and
 * intermediate), three sshd guests (one running nginx, which serves a managed certificate; one with Docker's
 * certs.d; one stopped during the overlap and started later), the embedded Temporal server. Checks each guest's
 * own trust store in every phase, every live and served chain, and probes nginx the whole time, trusting exactly
 * what its guest's bundle holds at that moment: not one handshake may fail.
 */
class CaRotationEndToEndTest {

  @RegisterExtension
  static final SimulatedGuests GUESTS = SimulatedGuests.count(3);

  @TempDir
  Path dir;

  /** The guests serve the whole run: leave their trust stores as a new guest has them. */
  @AfterEach
  void leaveTheGuestsNew() {
    for (int g = 0; g < 3; g++) {
      GUESTS.guest(g).resetTrust();
    }
  }

  @Test
  void theEstateMovesToTheNewRootWithoutAFailedHandshake() throws Exception {
    Duration limit = Duration.ofMinutes(4);
    try (StepCaServer from = StepCaServer.launch(List.of());
        StepCaServer to = StepCaServer.launch(List.of());
        SharedNginxEstate estate = new SharedNginxEstate(GUESTS, new SharedNginxEstate.Layout(3, 1, 1, false), dir);
        ApplicationContext context = ApplicationContext.run()) {
      Path file = estate.inventory();
      String yaml = Files.readString(file).replace("{vmid: 2001, ", "{vmid: 2001, trust: [system, docker], ")
          .replaceFirst("ca: \\{type: local, dataDir: [^}]*\\}", "ca: {" + stepCa(from) + "}");
      Files.writeString(file, yaml);
      PluginRegistry plugins = context.getBean(PluginRegistry.class);
      InventoryStore inventory = InventoryStore.open(file, plugins);
      X509Certificate oldRoot = inventory.get().issuer().root();
      assertEquals(from.root(), oldRoot);
      try (Engine engine = Engine.start(inventory, plugins, TemporalConnection.embedded(freePort()),
          Duration.ofHours(1))) {
        WorkflowClient client = engine.client();
        estate.awaitAll(client, s -> s.renewals() == 1, limit);
        for (int g = 0; g < 3; g++) {
          onboard(client, 2000 + g);
          assertTrusts(g, oldRoot, true);
        }
        assertChainsTo(estate, oldRoot);

        Probe probe = new Probe(estate.port(0), SharedNginxEstate.serverName(0, 0), bundle(0));
        probe.start();
        try {
          // the operator names the next CA, then rotates to it; guest 2 is down meanwhile
          Files.writeString(file, yaml.replace("ca: {" + stepCa(from) + "}", "ca: {" + stepCa(from) + ", next: {"
              + stepCa(to) + "}}"));
          assertEquals(InventoryStore.Outcome.CHANGED, inventory.reload());
          X509Certificate newRoot = inventory.get().caPair().orElseThrow().to().root();
          assertEquals(to.root(), newRoot);
          assertFalse(newRoot.equals(oldRoot));
          GUESTS.guest(2).stop();

          RotationWorkflow rotation = client.newWorkflowStub(RotationWorkflow.class, WorkflowOptions.newBuilder()
              .setWorkflowId(RotationWorkflow.WORKFLOW_ID).setTaskQueue(CertificateWorkflow.TASK_QUEUE).build());
          // the overlap waits 20 s (not the default 2 min) for the guest that is down, then retries it as often
          WorkflowClient.start(rotation::rotate, new RotationRequest(RotationTarget.NEXT, "test",
              Duration.ofHours(1), false, 2, Duration.ofSeconds(20)));
          RotationWorkflow running = client.newWorkflowStub(RotationWorkflow.class, RotationWorkflow.WORKFLOW_ID);

          // re-issuing goes ahead without the guest that is down, which is reported
          RotationProgress reissuing = Polling.await(running::progress, p -> p.phase() == RotationPhase.REISSUE,
              limit, Duration.ofMillis(200));
          assertEquals(3, reissuing.guestsTotal());
          assertEquals(2, reissuing.guestsDone(), reissuing.toString());
          assertTrue(reissuing.waiting().stream().anyMatch(w -> w.startsWith("guest 2002")), reissuing.waiting()
              .toString());
          for (int g = 0; g < 2; g++) {
            assertTrusts(g, oldRoot, true);
            assertTrusts(g, newRoot, true);
          }
          GUESTS.guest(2).restart();

          RotationProgress grace = Polling.await(running::progress, p -> p.phase() == RotationPhase.GRACE, limit,
              Duration.ofMillis(500));
          assertEquals(3, grace.certificatesDone(), grace.toString());
          // the guest that came back is onboarded too (both roots); the grace period holds retiring meanwhile
          grace = Polling.await(running::progress, p -> p.guestsDone() == 3, limit, Duration.ofMillis(500));
          assertEquals(RotationPhase.GRACE, grace.phase(), grace.toString());
          assertTrue(grace.waiting().isEmpty(), grace.toString());
          for (int g = 0; g < 3; g++) {
            assertTrusts(g, oldRoot, true);
            assertTrusts(g, newRoot, true);
          }
          assertChainsTo(estate, newRoot);
          assertNull(chainProblem(probe.lastServed.get(), newRoot), "nginx serves the new chain");

          running.retireNow();
          RotationProgress done = Polling.await(running::progress, p -> p.phase() == RotationPhase.DONE, limit,
              Duration.ofMillis(500));
          assertEquals(3, done.guestsDone(), done.toString());
          assertEquals(3, done.certificatesDone(), done.toString());
          for (int g = 0; g < 3; g++) {
            assertTrusts(g, oldRoot, false);
            assertTrusts(g, newRoot, true);
          }
          // Docker's certs.d has a folder per CA address: both CAs' hold the new root alone
          List<String> folders = new ArrayList<>();
          for (Path folder : dockerFolders()) {
            folders.add(folder.getFileName().toString());
            try (var files = Files.list(folder)) {
              List<Path> crts = files.filter(p -> p.toString().endsWith(".crt")).toList();
              assertEquals(1, crts.size(), folder + " holds the new root alone: " + crts);
              assertEquals(CertificateFacts.fingerprint(newRoot), CertificateFacts.fingerprint(
                  Pem.certificates(Files.readString(crts.get(0))).get(0)));
            }
          }
          assertEquals(List.of(address(from), address(to)).stream().sorted().toList(),
              folders.stream().sorted().toList());
          assertChainsTo(estate, newRoot);
          String capture = System.getProperty("phoenix.captureHistory");
          if (capture != null) {
            Files.writeString(Path.of(capture), client.fetchHistory(RotationWorkflow.WORKFLOW_ID).toJson(true));
          }
          // after retiring, a handshake trusting only the old root fails: the probe really judges the chain
          assertTrue(chainProblem(probe.lastServed.get(), oldRoot) != null);
        } finally {
          probe.stop();
        }
        assertTrue(probe.successes.get() > 20, "the probe ran: " + probe.successes.get());
        assertEquals(List.of(), probe.failures, "no handshake failed at any time");
      }
    }
  }

  /** The inventory's settings for {@code ca}, between braces. */
  private static String stepCa(StepCaServer ca) {
    return "type: step-ca, url: \"" + ca.url() + "\", fingerprint: " + ca.fingerprint() + ", provisioner: "
        + ca.provisioner() + ", passwordFile: " + ca.passwordFile();
  }

  static void onboard(WorkflowClient client, int vmid) {
    client.newWorkflowStub(GuestOnboardingWorkflow.class, WorkflowOptions.newBuilder()
        .setWorkflowId(GuestOnboardingWorkflow.workflowIdFor(String.valueOf(vmid)))
        .setTaskQueue(CertificateWorkflow.TASK_QUEUE).build()).onboard(new OnboardingRequest("test"));
  }

  private static Path bundle(int g) {
    return GUESTS.guest(g).hostPath("/etc/ssl/certs/ca-certificates.crt");
  }

  /** Whether guest {@code g}'s system bundle holds {@code root} (and guest 1's Docker store too). */
  private static void assertTrusts(int g, X509Certificate root, boolean expected) throws Exception {
    String body = body(Pem.encode(root));
    assertEquals(expected, squeeze(Files.readString(bundle(g))).contains(body), "guest " + g + "'s bundle "
        + (expected ? "holds " : "still holds ") + root.getSubjectX500Principal());
    if (g == 1) {
      List<Path> folders = dockerFolders();
      assertFalse(folders.isEmpty(), "guest 1 has a certs.d folder");
      for (Path folder : folders) {
        StringBuilder docker = new StringBuilder();
        try (var files = Files.list(folder)) {
          for (Path f : files.filter(p -> p.toString().endsWith(".crt")).toList()) {
            docker.append(Files.readString(f));
          }
        }
        assertEquals(expected, squeeze(docker.toString()).contains(body), "guest 1's " + folder + ", "
            + root.getSubjectX500Principal());
      }
    }
  }

  /** Guest 1's Docker certs.d folders (one per CA address). */
  private static List<Path> dockerFolders() throws Exception {
    try (var folders = Files.list(GUESTS.guest(1).hostPath("/etc/docker/certs.d"))) {
      return folders.filter(Files::isDirectory).sorted().toList();
    }
  }

  /** The CA's host:port, Docker's certs.d folder name for it. */
  private static String address(StepCaServer ca) {
    return ca.url().getHost() + ":" + ca.url().getPort();
  }

  /** Every certificate's live chain, on its guest, leads to {@code root}. */
  private static void assertChainsTo(SharedNginxEstate estate, X509Certificate root) throws Exception {
    for (int g = 0; g < 3; g++) {
      List<X509Certificate> chain = Pem.certificates(Files.readString(GUESTS.guest(g).hostPath(
          SharedNginxEstate.certFile(g, 0))));
      assertNull(chainProblem(chain, root), "guest " + g + "'s certificate");
    }
  }

  static String chainProblem(List<X509Certificate> chain, X509Certificate root) {
    try {
      PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(root, null)));
      parameters.setRevocationEnabled(false);
      CertPathValidator.getInstance("PKIX").validate(CertificateFactory.getInstance("X.509").generateCertPath(
          chain.stream().filter(c -> !c.getSubjectX500Principal().equals(c.getIssuerX500Principal())).toList()),
          parameters);
      return null;
    } catch (Exception e) {
      return e.toString();
    }
  }

  private static String body(String pem) {
    return squeeze(pem.replaceAll("-----[A-Z ]+-----", ""));
  }

  private static String squeeze(String text) {
    return text.replaceAll("\\s", "");
  }

  private static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /**
   * A client on the nginx guest: every 200 ms a handshake that trusts exactly the guest's bundle as it is then
   * (re-read each time), as curl on the guest would. A bundle read halfway through a rebuild is read again.
   */
  static final class Probe {
    final int port;
    final String serverName;
    final Path bundle;
    final AtomicInteger successes = new AtomicInteger();
    final List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
    final AtomicReference<List<X509Certificate>> lastServed = new AtomicReference<>();
    private volatile boolean running = true;
    private Thread thread;

    Probe(int port, String serverName, Path bundle) {
      this.port = port;
      this.serverName = serverName;
      this.bundle = bundle;
    }

    void start() {
      thread = new Thread(() -> {
        while (running) {
          once();
          try {
            Thread.sleep(200);
          } catch (InterruptedException e) {
            return;
          }
        }
      }, "tls-probe");
      thread.start();
    }

    void stop() throws InterruptedException {
      running = false;
      thread.join(5000);
    }

    private void once() {
      KeyStore trust;
      try {
        trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        int i = 0;
        for (X509Certificate c : Pem.certificates(Files.readString(bundle))) {
          trust.setCertificateEntry("c" + i++, c);
        }
      } catch (Exception unreadable) {
        return; // a bundle being rebuilt: read again next time
      }
      try {
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, factory.getTrustManagers(), null);
        try (SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket()) {
          socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
          SSLParameters parameters = socket.getSSLParameters();
          parameters.setServerNames(List.of(new SNIHostName(serverName)));
          socket.setSSLParameters(parameters);
          socket.startHandshake();
          List<X509Certificate> served = new ArrayList<>();
          for (var c : socket.getSession().getPeerCertificates()) {
            served.add((X509Certificate) c);
          }
          lastServed.set(served);
          successes.incrementAndGet();
        }
      } catch (javax.net.ssl.SSLHandshakeException e) {
        failures.add(java.time.Instant.now() + ": " + e.getMessage());
      } catch (Exception e) {
        // nginx reloading (connection refused a moment) is not a trust failure; the verify step judges that
        if (e.getMessage() != null && e.getMessage().contains("PKIX")) {
          failures.add(java.time.Instant.now() + ": " + e.getMessage());
        }
      }
    }
  }
}
