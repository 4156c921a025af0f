package ai.thinkheads.phoenix.certs.activities.transport.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.thinkheads.phoenix.certs.activities.testing.guest.SimulatedGuest;
import ai.thinkheads.phoenix.certs.activities.testing.guest.SimulatedGuests;
import ai.thinkheads.phoenix.certs.activities.transport.TransportException;
import ai.thinkheads.phoenix.certs.workflows.model.TargetSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Host keys are checked against known_hosts: unknown and changed keys are refused, finally. */
class SshHostKeyTest {

  @RegisterExtension
  static final SimulatedGuests GUESTS = SimulatedGuests.count(2);

  private SshConnectionPool pool;
  private SimulatedGuest guest;
  private Path knownHosts;

  @BeforeEach
  void setUp(TestInfo test) {
    pool = new SshConnectionPool();
    guest = GUESTS.guest(0);
    knownHosts = GUESTS.workDir().resolve("known_hosts-" + test.getTestMethod().orElseThrow().getName());
  }

  @AfterEach
  void tearDown() {
    pool.close();
  }

  @Test
  void unknownHostIsRefusedWithItsFingerprint() throws Exception {
    Files.writeString(knownHosts, "");
    long logins = guest.acceptedLogins();
    TransportException e = assertThrows(TransportException.class, () -> run(Map.of()));
    assertFalse(e.retryable(), e.getMessage());
    assertTrue(e.getMessage().startsWith("host key for lxc/101 (127.0.0.1:" + guest.port() + ") is unknown: got "
        + fingerprint(guest.hostKeyPub())), e.getMessage());
    assertTrue(e.getMessage().contains("refusing to connect"), e.getMessage());
    assertEquals(logins, guest.acceptedLogins(), "must not log in");
  }

  @Test
  void missingKnownHostsFileRefusesToo() {
    TransportException e = assertThrows(TransportException.class, () -> run(Map.of()));
    assertFalse(e.retryable(), e.getMessage());
    assertTrue(e.getMessage().contains("is unknown"), e.getMessage());
  }

  @Test
  void changedHostKeyIsRefusedWithBothFingerprints() throws Exception {
    // guest-1's key recorded for guest-0's address: what a man in the middle would look like
    Files.writeString(knownHosts, "[127.0.0.1]:" + guest.port() + " " + keyOf(GUESTS.guest(1)) + "\n");
    TransportException e = assertThrows(TransportException.class, () -> run(Map.of("trustOnFirstUse", "true")));
    assertFalse(e.retryable(), e.getMessage());
    assertTrue(e.getMessage().startsWith("host key for lxc/101 (127.0.0.1:" + guest.port() + ") changed: expected "
        + fingerprint(GUESTS.guest(1).hostKeyPub()) + " (ssh-ed25519), got " + fingerprint(guest.hostKeyPub())
        + " (ssh-ed25519); refusing to connect"), e.getMessage());
    assertEquals(1, Files.readAllLines(knownHosts).size(), "trust on first use must not add a changed key");
  }

  @Test
  void knownHostWithOnlyAnotherKeyTypeIsRefusedAsChanged() throws Exception {
    String ecdsa = Files.readString(Path.of(GUESTS.keys().ecdsa() + ".pub")).strip();
    Files.writeString(knownHosts, "[127.0.0.1]:" + guest.port() + " " + ecdsa + "\n");
    TransportException e = assertThrows(TransportException.class, () -> run(Map.of("trustOnFirstUse", "true")));
    assertFalse(e.retryable(), e.getMessage());
    assertTrue(e.getMessage().contains(") changed: expected SHA256:"), e.getMessage());
  }

  @Test
  void trustOnFirstUseRecordsTheKeyWhenAsked() throws Exception {
    Files.writeString(knownHosts, "# pinned by hand\n[127.0.0.1]:1 " + keyOf(GUESTS.guest(1)));
    assertEquals(0, run(Map.of("trustOnFirstUse", "true")).exitCode());
    List<String> lines = Files.readAllLines(knownHosts);
    assertEquals("[127.0.0.1]:" + guest.port() + " " + keyOf(guest), lines.get(lines.size() - 1));
    assertEquals(3, lines.size());
    pool.close();
    pool = new SshConnectionPool();
    assertEquals(0, run(Map.of()).exitCode(), "the recorded key is trusted from now on");
  }

  @Test
  void pinnedKeyConnects() throws Exception {
    Files.copy(guest.knownHosts(), knownHosts);
    assertEquals(0, run(Map.of()).exitCode());
  }

  private ai.thinkheads.phoenix.certs.activities.transport.ExecResult run(Map<String, String> extra) {
    Map<String, String> options = guest.sshOptions(GUESTS.keys().ed25519());
    options.put("knownHosts", knownHosts.toString());
    options.putAll(extra);
    return new SshTransportFactory(pool).open(new TargetSpec("ssh", "lxc/101", options))
        .exec(List.of("true"), Duration.ofSeconds(5));
  }

  /** "ssh-ed25519 AAAA..." of a guest's host key. */
  private static String keyOf(SimulatedGuest g) throws IOException {
    String[] fields = Files.readString(g.hostKeyPub()).strip().split(" ");
    return fields[0] + " " + fields[1];
  }

  /** The fingerprint as OpenSSH's own ssh-keygen -l prints it. */
  static String fingerprint(Path pub) throws Exception {
    Process p = new ProcessBuilder("ssh-keygen", "-l", "-E", "sha256", "-f", pub.toString()).start();
    String out = new String(p.getInputStream().readAllBytes()).strip();
    p.waitFor();
    return out.split(" ")[1];
  }
}
