package ai.thinkheads.phoenix.certs.activities.transport.proxmox;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.thinkheads.phoenix.certs.activities.testing.guest.SimulatedGuests;
import ai.thinkheads.phoenix.certs.activities.testing.guest.SimulatedProxmoxHost;
import ai.thinkheads.phoenix.certs.activities.transport.Checksums;
import ai.thinkheads.phoenix.certs.activities.transport.ExecResult;
import ai.thinkheads.phoenix.certs.activities.transport.FileAttributes;
import ai.thinkheads.phoenix.certs.activities.transport.Transport;
import ai.thinkheads.phoenix.certs.activities.transport.TransportException;
import ai.thinkheads.phoenix.certs.activities.transport.TrickyArgv;
import ai.thinkheads.phoenix.certs.activities.transport.ssh.SshConnectionPool;
import ai.thinkheads.phoenix.certs.workflows.model.TargetSpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** LXC guests through real SSH to a simulated Proxmox host whose stand-in pct enters the mapped guest. */
class PctTransportTest {

  @RegisterExtension
  static final SimulatedGuests GUESTS = SimulatedGuests.count(2).withProxmoxHost();

  private static SshConnectionPool pool;
  private static SimulatedProxmoxHost pve;

  @BeforeAll
  static void open() {
    pool = new SshConnectionPool();
    pve = GUESTS.proxmoxHost();
    pve.map(101, GUESTS.guest(0));
    pve.map(102, GUESTS.guest(1));
  }

  @AfterAll
  static void close() {
    pool.close();
  }

  @Test
  void fileOperationsLandInsideTheMappedContainerOnly() throws Exception {
    Transport ct101 = transport(101);
    byte[] content = new byte[3000];
    for (int i = 0; i < content.length; i++) {
      content[i] = (byte) (i * 7);
    }
    String path = "/etc/nginx/ssl/pct.key";
    ct101.install(path, content, new FileAttributes("0600", "root:root"));
    assertArrayEquals(content, Files.readAllBytes(GUESTS.guest(0).hostPath(path)));
    assertEquals("rw-------", PosixFilePermissions.toString(
        Files.getPosixFilePermissions(GUESTS.guest(0).hostPath(path))));
    assertFalse(Files.exists(GUESTS.guest(1).hostPath(path)), "written into the wrong container");
    assertFalse(Files.exists(pve.guest().hostPath(path)), "written on the host");

    assertArrayEquals(content, ct101.read(path).orElseThrow());
    assertEquals(Checksums.sha256(content), ct101.checksum(path).orElseThrow());
    assertTrue(ct101.exists(path));
    ct101.install(path, "second".getBytes(StandardCharsets.UTF_8), FileAttributes.mode("0600"));
    assertArrayEquals(content, ct101.read(path + ".bak").orElseThrow());
    assertTrue(ct101.restore(path, FileAttributes.mode("0600")));
    assertArrayEquals(content, ct101.read(path).orElseThrow());
    ct101.rename(path + ".bak", path + ".old");
    ct101.delete(path + ".old");
    assertFalse(ct101.exists(path + ".old"));
    assertTrue(ct101.read("/etc/nginx/ssl/pct-none").isEmpty());
  }

  @Test
  void execPassesExitCodeAndOutputThrough() {
    ExecResult result = transport(102).exec(List.of("sh", "-c", "echo out; echo err >&2; exit 3"),
        Duration.ofSeconds(10));
    assertEquals(new ExecResult(3, "out\n", "err\n"), result);
  }

  @Test
  void argvArrivesIntactThroughHostShellAndPct() throws Exception {
    TrickyArgv.assertArrivesIntact(transport(101));
  }

  @Test
  void allContainersShareTheHostConnection() {
    try (SshConnectionPool own = new SshConnectionPool()) {
      long before = pve.guest().acceptedLogins();
      for (int vmid : List.of(101, 102, 101, 102)) {
        ProxmoxTransportFactory.pct(own).open(target(vmid)).exists("/etc/hostname");
      }
      assertEquals(1, pve.guest().acceptedLogins() - before);
    }
  }

  @Test
  void vmidMustBeANumberBeforeAnythingRuns() {
    long before = pve.guest().acceptedLogins();
    Map<String, String> options = pve.options(101, GUESTS.keys().ed25519());
    options.put("vmid", "101; touch " + TrickyArgv.canary());
    TransportException e = assertThrows(TransportException.class,
        () -> ProxmoxTransportFactory.pct(pool).open(new TargetSpec("pct", "lxc/101", options)));
    assertFalse(e.retryable());
    assertEquals(before, pve.guest().acceptedLogins());
  }

  @Test
  void unknownContainerFailsWithPctsMessage() {
    TransportException e = assertThrows(TransportException.class,
        () -> transport(999).write("/etc/nginx/ssl/x", new byte[1], FileAttributes.mode("0644")));
    assertTrue(e.getMessage().contains("lxc/999.conf' does not exist"), e.getMessage());
  }

  private static Transport transport(int vmid) {
    return ProxmoxTransportFactory.pct(pool).open(target(vmid));
  }

  private static TargetSpec target(int vmid) {
    return new TargetSpec("pct", "lxc/" + vmid, pve.options(vmid, GUESTS.keys().ed25519()));
  }
}
