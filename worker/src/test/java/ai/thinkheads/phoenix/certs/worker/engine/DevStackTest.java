package ai.thinkheads.phoenix.certs.worker.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.thinkheads.phoenix.certs.activities.plugin.PluginRegistry;
import ai.thinkheads.phoenix.certs.activities.testing.Polling;
import ai.thinkheads.phoenix.certs.activities.testing.SelfSignedCertificates;
import ai.thinkheads.phoenix.certs.worker.inventory.InventoryStore;
import ai.thinkheads.phoenix.certs.worker.temporal.TemporalConnection;
import ai.thinkheads.phoenix.certs.workflows.audit.AuditReport;
import ai.thinkheads.phoenix.certs.workflows.audit.AuditRequest;
import ai.thinkheads.phoenix.certs.workflows.audit.AuditWorkflow;
import ai.thinkheads.phoenix.certs.workflows.audit.Finding;
import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateStatus;
import ai.thinkheads.phoenix.certs.workflows.model.SearchAttributes;
import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateStatus.Outcome;
import io.micronaut.context.ApplicationContext;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dev stack end to end, on the wall clock: Micronaut wiring, the embedded Temporal server, the worker, the
 * local CA and real files. A certificate is issued, then renewed at 2/3 of its 30-second lifetime.
 */
class DevStackTest {

  @TempDir
  Path dir;

  @Test
  void aCertificateIsIssuedThenRenewed() throws Exception {
    Path inventoryFile = dir.resolve("inventory.yaml");
    Files.writeString(inventoryFile, """
        ca: {type: local, dataDir: %1$s/ca}
        guests:
          - {name: here, kind: local}
        certificates:
          - name: quick
            guest: here
            sans: [quick.test, 127.0.0.1]
            lifetime: 30s
            files: {cert: %1$s/quick.crt, key: %1$s/quick.key}
            reload: {type: command, argv: [touch, %1$s/reloaded]}
        audit:
          interval: 10s
          sources:
            - {type: files, path: %1$s/legacy}
        """.formatted(dir));
    // as in the demo: a self-signed file an old setup left behind, which the audit must name
    SelfSignedCertificates.Pair legacy = SelfSignedCertificates.make("old.internal.test",
        Instant.now().minus(Duration.ofDays(1)), Instant.now().plus(Duration.ofDays(300)));
    Files.createDirectories(dir.resolve("legacy"));
    Files.writeString(dir.resolve("legacy/old-setup.crt"), legacy.certPem());
    try (ApplicationContext context = ApplicationContext.run()) {
      PluginRegistry plugins = context.getBean(PluginRegistry.class);
      InventoryStore inventory = InventoryStore.open(inventoryFile, plugins);
      ByteArrayOutputStream printed = new ByteArrayOutputStream();
      try (Engine engine = Engine.start(inventory, plugins, TemporalConnection.embedded(freePort()),
          Duration.ofMinutes(1));
          StatusBoard board = new StatusBoard(engine.statuses(), inventory,
              new PrintStream(printed, true))) {
        board.start();
        CertificateStatus issued = await(board, s -> s.lastOutcome() == Outcome.ISSUED, 30);
        X509Certificate first = leaf(dir.resolve("quick.crt"));
        assertEquals(issued.serial(), first.getSerialNumber().toString(16));
        pkixValidate(dir.resolve("quick.crt"), dir.resolve("ca/root_ca.crt"));

        CertificateStatus renewed = await(board, s -> s.lastOutcome() == Outcome.RENEWED, 45);
        assertNotEquals(issued.serial(), renewed.serial());
        assertEquals(renewed.serial(), leaf(dir.resolve("quick.crt")).getSerialNumber().toString(16));
        assertTrue(Files.exists(dir.resolve("reloaded")));
        assertTrue(printed.toString().contains("quick"), "the status table was printed");
        // what operators filter by in the UI, registered by the worker on the embedded server too
        var attributes = engine.client().newUntypedWorkflowStub("cert/quick").describe().getTypedSearchAttributes();
        assertEquals("quick", attributes.get(SearchAttributes.CERT_NAME));
        assertEquals("local/here", attributes.get(SearchAttributes.GUEST_ID));
        assertEquals(leaf(dir.resolve("quick.crt")).getNotAfter().toInstant(),
            attributes.get(SearchAttributes.NOT_AFTER).toInstant());

        // the audit loop (every 10 s here) names the self-signed file, and finds nothing wrong with cert/quick
        AuditWorkflow audit = engine.client().newWorkflowStub(AuditWorkflow.class, AuditRequest.WORKFLOW_ID);
        AuditReport report = Polling.await(audit::latest, r -> r != null, Duration.ofSeconds(40),
            Duration.ofMillis(500));
        List<String> legacyFindings = report.findings().stream().filter(f -> (f.subject() + " " + f.reason())
            .contains("old-setup.crt")).map(Finding::code).sorted().toList();
        assertTrue(legacyFindings.contains("untrusted-chain") && legacyFindings.contains("unmanaged"),
            "the audit names the self-signed file: " + report.findings());
        assertTrue(report.findings().stream().noneMatch(f -> (f.subject() + " " + f.reason()).contains("quick")),
            "nothing false on the managed certificate: " + report.findings());
      }
    }
  }

  private static CertificateStatus await(StatusBoard board, Predicate<CertificateStatus> condition, int seconds)
      throws InterruptedException {
    long deadline = System.currentTimeMillis() + seconds * 1000L;
    CertificateStatus last = null;
    while (System.currentTimeMillis() < deadline) {
      last = board.statuses().get(0);
      if (condition.test(last)) {
        return last;
      }
      Thread.sleep(250);
    }
    throw new AssertionError("not reached in " + seconds + " s; last status " + last);
  }

  private static X509Certificate leaf(Path pem) throws Exception {
    try (var in = Files.newInputStream(pem)) {
      return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
  }

  private static void pkixValidate(Path chainPem, Path rootPem) throws Exception {
    CertificateFactory factory = CertificateFactory.getInstance("X.509");
    List<X509Certificate> chain;
    try (var in = Files.newInputStream(chainPem)) {
      chain = factory.generateCertificates(in).stream().map(c -> (X509Certificate) c).toList();
    }
    PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(leaf(rootPem), null)));
    parameters.setRevocationEnabled(false);
    CertPathValidator.getInstance("PKIX").validate(factory.generateCertPath(chain), parameters);
  }

  static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
