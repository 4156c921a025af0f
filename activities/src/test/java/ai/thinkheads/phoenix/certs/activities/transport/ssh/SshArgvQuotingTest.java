package ai.thinkheads.phoenix.certs.activities.transport.ssh;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.thinkheads.phoenix.certs.activities.testing.guest.SimulatedGuests;
import ai.thinkheads.phoenix.certs.activities.transport.FileAttributes;
import ai.thinkheads.phoenix.certs.activities.transport.Transport;
import ai.thinkheads.phoenix.certs.activities.transport.TransportException;
import ai.thinkheads.phoenix.certs.activities.transport.TrickyArgv;
import ai.thinkheads.phoenix.certs.workflows.model.TargetSpec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** argv and paths reach the guest intact through the remote login shell, and nothing else runs. */
class SshArgvQuotingTest {

  @RegisterExtension
  static final SimulatedGuests GUESTS = SimulatedGuests.count(1);

  private static SshConnectionPool pool;
  private static Transport transport;

  @BeforeAll
  static void open() {
    pool = new SshConnectionPool();
    transport = new SshTransportFactory(pool)
        .open(new TargetSpec("ssh", "lxc/101", GUESTS.guest(0).sshOptions(GUESTS.keys().ed25519())));
  }

  @AfterAll
  static void close() {
    pool.close();
  }

  @Test
  void everyArgumentArrivesIntactAndNothingElseRuns() throws Exception {
    TrickyArgv.assertArrivesIntact(transport);
  }

  @Test
  void pathsWithShellCharactersAreFilesNotCode() {
    // A relative canary: had the name been run as code, the file would appear in the login's home, /root.
    String file = "we ird's $(touch canary) `touch canary`; touch canary \"name\" *";
    String path = "/etc/nginx/ssl/" + file;
    transport.write(path, "content".getBytes(StandardCharsets.UTF_8), FileAttributes.mode("0644"));
    assertArrayEquals("content".getBytes(StandardCharsets.UTF_8), transport.read(path).orElseThrow());
    assertEquals(file + "\0", transport.exec(List.of("find", "/etc/nginx/ssl", "-name", "we ird*", "-printf",
        "%f\\0"), Duration.ofSeconds(5)).stdout());
    transport.delete(path);
    assertFalse(transport.exists(path));
    assertFalse(transport.exists("/root/canary"), "a path was run as shell code");
  }

  @Test
  void nulCannotBeSentAndIsRefusedFinally() {
    TransportException e = assertThrows(TransportException.class,
        () -> transport.exec(List.of("echo", "a\0b"), Duration.ofSeconds(5)));
    assertFalse(e.retryable());
  }

  @Test
  void quotingIsPosixSingleQuotes() {
    assertEquals("'a b' 'it'\\''s' '$(x)' ''", ShellQuoting.commandLine(List.of("a b", "it's", "$(x)", "")));
  }
}
