package ai.thinkheads.phoenix.certs.worker.rotation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.thinkheads.phoenix.certs.activities.crypto.CertificateFacts;
import ai.thinkheads.phoenix.certs.activities.crypto.Pem;
import ai.thinkheads.phoenix.certs.activities.plugin.PluginRegistry;
import ai.thinkheads.phoenix.certs.activities.testing.Polling;
import ai.thinkheads.phoenix.certs.activities.testing.guest.SimulatedGuests;
import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateWorkflow;
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
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A new intermediate under the same root (the local CA's data directory holding only the old root), through the
 * worker, with a real sshd guest and nginx: no trust store changes, every certificate re-issued under the new
 * intermediate, the chain file and what nginx serves updated, and a client trusting the guest's bundle never
 * fails a handshake.
 */
class CaIntermediateRotationTest {

  @RegisterExtension
  static final SimulatedGuests GUESTS = SimulatedGuests.count(1);

  @TempDir
  Path dir;

  /** The guests serve the whole run: leave their trust stores as a new guest has them. */
  @AfterEach
  void leaveTheGuestsNew() {
    for (int g = 0; g < 1; g++) {
      GUESTS.guest(g).resetTrust();
    }
  }

  @Test
  void aNewIntermediateReissuesEveryCertificateAndChangesNoTrust() throws Exception {
    Duration limit = Duration.ofMinutes(4);
    try (SharedNginxEstate estate = new SharedNginxEstate(GUESTS, new SharedNginxEstate.Layout(1, 2, 1, false), dir);
        ApplicationContext context = ApplicationContext.run()) {
      Path file = estate.inventory();
      String yaml = Files.readString(file);
      PluginRegistry plugins = context.getBean(PluginRegistry.class);
      InventoryStore inventory = InventoryStore.open(file, plugins);
      X509Certificate root = inventory.get().issuer().root();
      try (Engine engine = Engine.start(inventory, plugins, TemporalConnection.embedded(freePort()),
          Duration.ofHours(1))) {
        WorkflowClient client = engine.client();
        estate.awaitAll(client, s -> s.renewals() == 1, limit);
        CaRotationEndToEndTest.onboard(client, 2000); // the guest trusts the root, as any onboarded guest does
        X509Certificate oldIntermediate = servedChain(estate.port(0)).get(1);
        Path bundle = GUESTS.guest(0).hostPath("/etc/ssl/certs/ca-certificates.crt");
        String bundleBefore = Files.readString(bundle);

        Files.createDirectories(dir.resolve("ca2"));
        for (String name : List.of("root_ca.crt", "root_ca.key")) {
          Files.copy(dir.resolve("ca").resolve(name), dir.resolve("ca2").resolve(name));
        }
        Files.writeString(file, yaml.replaceFirst("ca: \\{type: local, dataDir: ([^}]*)\\}",
            "ca: {type: local, dataDir: $1, next: {type: local, dataDir: " + dir.resolve("ca2") + "}}"));
        assertEquals(InventoryStore.Outcome.CHANGED, inventory.reload());
        // the local CA makes its new intermediate, under the root it was given, on first use
        assertEquals(root, inventory.get().caPair().orElseThrow().to().root());
        X509Certificate newIntermediate = Pem.certificates(Files.readString(dir.resolve("ca2")
            .resolve("intermediate_ca.crt"))).get(0);
        assertNotEquals(oldIntermediate, newIntermediate);

        CaRotationEndToEndTest.Probe probe = new CaRotationEndToEndTest.Probe(estate.port(0),
            SharedNginxEstate.serverName(0, 0), bundle);
        probe.start();
        try {
          RotationWorkflow rotation = client.newWorkflowStub(RotationWorkflow.class, WorkflowOptions.newBuilder()
              .setWorkflowId(RotationWorkflow.WORKFLOW_ID).setTaskQueue(CertificateWorkflow.TASK_QUEUE).build());
          WorkflowClient.start(rotation::rotate, new RotationRequest(RotationTarget.NEXT, "test", null, false, 2));
          RotationProgress done = Polling.await(client.newWorkflowStub(RotationWorkflow.class,
              RotationWorkflow.WORKFLOW_ID)::progress, p -> p.phase() == RotationPhase.DONE, limit,
              Duration.ofMillis(500));
          assertEquals(0, done.guestsTotal(), "no trust store to change: " + done);
          assertEquals(2, done.certificatesDone(), done.toString());
          assertEquals(done.fromRoot(), done.toRoot());
        } finally {
          probe.stop();
        }
        for (int c = 0; c < 2; c++) {
          List<X509Certificate> chain = Pem.certificates(Files.readString(GUESTS.guest(0).hostPath(
              SharedNginxEstate.certFile(0, c))));
          assertEquals(newIntermediate, chain.get(1), "the chain file carries the new intermediate");
          assertNull(CaRotationEndToEndTest.chainProblem(chain, root));
          chain.get(0).verify(newIntermediate.getPublicKey());
        }
        List<X509Certificate> served = servedChain(estate.port(0));
        assertEquals(CertificateFacts.fingerprint(newIntermediate), CertificateFacts.fingerprint(served.get(1)),
            "nginx serves the new intermediate");
        assertEquals(bundleBefore, Files.readString(bundle), "the guest's trust store was not touched");
        assertTrue(probe.successes.get() > 5, "the probe ran: " + probe.successes.get());
        assertEquals(List.of(), probe.failures);
      }
    }
  }

  /** The chain nginx serves for certificate 0, as a client sees it (leaf first); looked at, not judged. */
  private static List<X509Certificate> servedChain(int port) throws Exception {
    javax.net.ssl.SSLContext tls = javax.net.ssl.SSLContext.getInstance("TLS");
    tls.init(null, new javax.net.ssl.TrustManager[] {new javax.net.ssl.X509TrustManager() {
      @Override
      public void checkClientTrusted(X509Certificate[] chain, String authType) {}

      @Override
      public void checkServerTrusted(X509Certificate[] chain, String authType) {}

      @Override
      public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
      }
    }}, null);
    try (javax.net.ssl.SSLSocket socket = (javax.net.ssl.SSLSocket) tls.getSocketFactory().createSocket()) {
      socket.connect(new java.net.InetSocketAddress("127.0.0.1", port), 5000);
      javax.net.ssl.SSLParameters parameters = socket.getSSLParameters();
      parameters.setServerNames(List.of(new javax.net.ssl.SNIHostName(SharedNginxEstate.serverName(0, 0))));
      socket.setSSLParameters(parameters);
      socket.startHandshake();
      return java.util.Arrays.stream(socket.getSession().getPeerCertificates()).map(X509Certificate.class::cast)
          .toList();
    }
  }

  private static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
