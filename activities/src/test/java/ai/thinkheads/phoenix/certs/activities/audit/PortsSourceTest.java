package ai.thinkheads.phoenix.certs.activities.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import ai.thinkheads.phoenix.certs.activities.estate.Guest;
import ai.thinkheads.phoenix.certs.activities.issuer.LocalCaIssuer;
import ai.thinkheads.phoenix.certs.activities.plugin.BuiltInPlugins;
import ai.thinkheads.phoenix.certs.activities.plugin.PluginRegistry;
import ai.thinkheads.phoenix.certs.activities.plugin.Settings;
import ai.thinkheads.phoenix.certs.activities.testing.GuestNginx;
import ai.thinkheads.phoenix.certs.activities.testing.SelfSignedCertificates;
import ai.thinkheads.phoenix.certs.activities.testing.TestEstate;
import ai.thinkheads.phoenix.certs.activities.testing.guest.SimulatedGuest;
import ai.thinkheads.phoenix.certs.activities.testing.guest.SimulatedGuests;
import ai.thinkheads.phoenix.certs.activities.transport.FileAttributes;
import ai.thinkheads.phoenix.certs.activities.transport.Transport;
import ai.thinkheads.phoenix.certs.activities.transport.ssh.SshConnectionPool;
import ai.thinkheads.phoenix.certs.workflows.audit.CertificateFact;
import ai.thinkheads.phoenix.certs.workflows.audit.CertificateKind;
import ai.thinkheads.phoenix.certs.workflows.audit.ChainStatus;
import ai.thinkheads.phoenix.certs.workflows.model.TargetSpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Discovery on a real sshd guest: `ss -ltnH` read on the guest, the nginx TLS port found and judged. */
class PortsSourceTest {

  @RegisterExtension
  static final SimulatedGuests GUESTS = SimulatedGuests.count(1);

  @TempDir
  Path dir;

  @Test
  void aTlsPortNobodyManagesIsFound() throws Exception {
    SimulatedGuest sim = GUESTS.guest(0);
    try (SshConnectionPool pool = new SshConnectionPool()) {
      PluginRegistry plugins = BuiltInPlugins.registry(pool);
      Guest guest = new Guest("lxc/150", 150, "web", "lxc", new TargetSpec("ssh", "lxc/150",
          sim.sshOptions(GUESTS.keys().ed25519())), List.of("system"));
      Transport transport = plugins.transport("ssh").open(guest.target());
      GuestNginx nginx = new GuestNginx(sim, "found", "found.internal.test");
      SelfSignedCertificates.Pair pair = SelfSignedCertificates.make("found.internal.test",
          Instant.now().minus(Duration.ofDays(1)), Instant.now().plus(Duration.ofDays(100)));
      transport.write(GuestNginx.certPath("found"), pair.certPem().getBytes(StandardCharsets.US_ASCII),
          FileAttributes.mode("0644"));
      transport.write(GuestNginx.keyPath("found"), pair.keyPem().getBytes(StandardCharsets.US_ASCII),
          FileAttributes.mode("0600"));
      transport.exec(nginx.reloadArgv(), Duration.ofSeconds(20));
      try {
        TestEstate estate = new TestEstate(new LocalCaIssuer(dir.resolve("ca"), "Ports CA")).put(guest);
        AuditScope scope = new AuditScope(estate, guest, plugins, null, Instant.now());
        Settings settings = Settings.of(new PortsSource(), Map.of());
        String port = nginx.endpoint().substring(nginx.endpoint().indexOf(':') + 1);

        FactSink alone = new FactSink();
        new PortsSource().gather(settings, scope, alone);
        CertificateFact found = alone.certificates().stream().filter(c -> c.name().equals("port " + port))
            .findFirst().orElseThrow(() -> new AssertionError("port " + port + " not in " + alone.certificates()));
        assertEquals(CertificateKind.DISCOVERED, found.kind());
        assertEquals(ChainStatus.SELF_SIGNED, found.chain());
        assertEquals("127.0.0.1:" + port, found.location());
        assertNull(found.managedBy(), "nobody manages it");

        FactSink withManaged = new FactSink();
        withManaged.add(found.managed("cert/found", true, null));
        new PortsSource().gather(settings, scope, withManaged);
        assertEquals("cert/found", withManaged.certificates().stream().filter(c -> c.kind()
            == CertificateKind.DISCOVERED && c.name().equals("port " + port)).findFirst().orElseThrow().managedBy(),
            "a port serving a managed certificate's serial is attributed to it");
      } finally {
        transport.exec(List.of("sh", "-c", "kill $(cat " + nginx.config().getParent() + "/nginx.pid)"),
            Duration.ofSeconds(5));
      }
    }
  }
}
