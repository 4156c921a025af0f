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
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** VM guests through real SSH to a simulated Proxmox host whose stand-in qm answers like the guest agent. */
class QmTransportTest {

  @RegisterExtension
  static final SimulatedGuests GUESTS = SimulatedGuests.count(2).withProxmoxHost();

  private static SshConnectionPool pool;
  private static SimulatedProxmoxHost pve;
  private static Transport vm;

  @BeforeAll
  static void open() {
    pool = new SshConnectionPool();
    pve = GUESTS.proxmoxHost();
    pve.map(1001, GUESTS.guest(1));
    vm = ProxmoxTransportFactory.qm(pool).open(new TargetSpec("qm", "vm/1001", pve.options(1001,
        GUESTS.keys().ed25519())));
  }

  @AfterAll
  static void close() {
    pool.close();
  }

  @Test
  void binaryFilesTravelThroughPassStdinAndBase64() throws Exception {
    byte[] content = new byte[70_000];
    for (int i = 0; i < content.length; i++) {
      content[i] = (byte) (i % 251); // every byte value, including ones JSON strings mangle
    }
    String path = "/etc/nginx/ssl/qm.key";
    vm.install(path, content, FileAttributes.mode("0600"));
    assertArrayEquals(content, Files.readAllBytes(GUESTS.guest(1).hostPath(path)));
    assertArrayEquals(content, vm.read(path).orElseThrow());
    assertEquals(Checksums.sha256(content), vm.checksum(path).orElseThrow());
    assertTrue(vm.exists(path));
    assertTrue(vm.read("/etc/nginx/ssl/qm-none").isEmpty());
    vm.install(path, new byte[] {1, 2}, FileAttributes.mode("0600"));
    assertArrayEquals(content, vm.read(path + ".bak").orElseThrow());
    vm.delete(path + ".bak");
    assertFalse(vm.exists(path + ".bak"));
  }

  @Test
  void execReturnsTheAgentsExitCodeAndOutput() {
    ExecResult result = vm.exec(List.of("sh", "-c", "echo out; echo err >&2; exit 4"), Duration.ofSeconds(10));
    assertEquals(new ExecResult(4, "out\n", "err\n"), result);
  }

  @Test
  void argvArrivesIntactThroughHostShellAndAgent() throws Exception {
    TrickyArgv.assertArrivesIntact(vm);
  }

  @Test
  void commandOutlivingItsTimeoutIsRetryable() {
    TransportException e = assertThrows(TransportException.class,
        () -> vm.exec(List.of("sleep", "10"), Duration.ofSeconds(1)));
    assertTrue(e.retryable(), e.getMessage());
    assertTrue(e.getMessage().contains("did not finish within PT1S"), e.getMessage());
  }

  @Test
  void inputBeyondOneMebibyteIsRefusedFinally() {
    TransportException e = assertThrows(TransportException.class,
        () -> vm.write("/etc/nginx/ssl/qm-big", new byte[QmCommandRunner.MAX_STDIN + 1], FileAttributes.mode("0644")));
    assertFalse(e.retryable());
  }

  @Test
  void stoppedOrUnknownVmIsRetryable() {
    Map<String, String> options = pve.options(1999, GUESTS.keys().ed25519());
    TransportException e = assertThrows(TransportException.class,
        () -> ProxmoxTransportFactory.qm(pool).open(new TargetSpec("qm", "vm/1999", options)).exists("/etc/hostname"));
    assertTrue(e.retryable(), e.getMessage());
    assertTrue(e.getMessage().contains("qemu-server/1999.conf' does not exist"), e.getMessage());
  }
}
