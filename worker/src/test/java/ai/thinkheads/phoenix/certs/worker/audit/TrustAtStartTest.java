package ai.thinkheads.phoenix.certs.worker.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.thinkheads.phoenix.certs.activities.plugin.PluginRegistry;
import ai.thinkheads.phoenix.certs.activities.testing.guest.SimulatedGuest;
import ai.thinkheads.phoenix.certs.activities.testing.guest.SimulatedGuests;
import ai.thinkheads.phoenix.certs.worker.engine.Engine;
import ai.thinkheads.phoenix.certs.worker.inventory.InventoryStore;
import ai.thinkheads.phoenix.certs.worker.temporal.TemporalConnection;
import ai.thinkheads.phoenix.certs.worker.testing.FreePort;
import ai.thinkheads.phoenix.certs.workflows.audit.AuditReport;
import ai.thinkheads.phoenix.certs.workflows.audit.AuditRequest;
import ai.thinkheads.phoenix.certs.workflows.guest.GuestOnboardingStatus;
import io.micronaut.context.ApplicationContext;
import io.temporal.client.WorkflowClient;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Trust converges from the worker's start: the Proxmox host ({@code kind: host}, no vmid, an sshd guest here),
 * whose start no hookscript ever reports, trusts the local CA's root once a worker has started, with no event
 * sent: the start's trust check (workflow {@code audit-trust}) found it lacking and onboarded {@code guest/pve}.
 */
class TrustAtStartTest {

  static final String BUNDLE = "/etc/ssl/certs/ca-certificates.crt";

  @RegisterExtension
  static final SimulatedGuests GUESTS = SimulatedGuests.count(1);

  @TempDir
  Path dir;

  @Test
  void aHostGuestTrustsTheRootAfterAWorkerStartWithNoHookscriptCall() throws Exception {
    SimulatedGuest host = GUESTS.guest(0);
    Path inventoryFile = dir.resolve("inventory.yaml");
    Files.writeString(inventoryFile, """
        ca: {type: local, dataDir: %s/ca}
        guests:
          - {name: pve, kind: host, transport: ssh, address: 127.0.0.1, port: %d, identityFile: %s, knownHosts: %s}
        """.formatted(dir, host.port(), GUESTS.keys().ed25519(), host.knownHosts()));
    try (ApplicationContext context = ApplicationContext.run()) {
      PluginRegistry plugins = context.getBean(PluginRegistry.class);
      InventoryStore inventory = InventoryStore.open(inventoryFile, plugins);
      X509Certificate root = inventory.get().issuer().root();
      assertFalse(holds(host, root), "before the worker starts, the host does not trust the root");
      long started = System.nanoTime();
      try (Engine engine = Engine.start(inventory, plugins, TemporalConnection.embedded(FreePort.next()),
          Duration.ofHours(1))) {
        WorkflowClient client = engine.client();
        AuditReport check = client.newUntypedWorkflowStub(AuditRequest.TRUST_CHECK_ID)
            .getResult(60, TimeUnit.SECONDS, AuditReport.class);
        assertTrue(check.findings().stream().anyMatch(f -> "root-missing".equals(f.code())
            && f.component().endsWith("pve")), "the start's trust check found the host lacking: " + check.findings());
        GuestOnboardingStatus onboarded = client.newUntypedWorkflowStub("guest/pve")
            .getResult(60, TimeUnit.SECONDS, GuestOnboardingStatus.class);
        assertEquals("done", onboarded.phase(), "guest/pve: " + onboarded.error());
        assertTrue(onboarded.installed().stream().anyMatch(s -> s.contains("system")), onboarded.installed()
            .toString());
        String startedBy = client.fetchHistory("guest/pve").getHistory().getEvents(0)
            .getWorkflowExecutionStartedEventAttributes().getInput().toString();
        assertTrue(startedBy.contains("audit"), "started by the trust check, not an event: " + startedBy);
        assertTrue(holds(host, root), "the host's system bundle holds the root");
        System.out.printf("host guest trusts the root %.1f s after the worker started%n",
            (System.nanoTime() - started) / 1e9);
      }
    }
  }

  private static boolean holds(SimulatedGuest guest, X509Certificate root) throws Exception {
    Path bundle = guest.hostPath(BUNDLE);
    if (!Files.exists(bundle)) {
      return false;
    }
    return CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(
        Files.readAllBytes(bundle))).contains(root);
  }
}
