package ai.thinkheads.phoenix.certs.activities.transport.ssh;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.thinkheads.phoenix.certs.activities.testing.guest.SimulatedGuest;
import ai.thinkheads.phoenix.certs.activities.testing.guest.SimulatedGuests;
import ai.thinkheads.phoenix.certs.activities.transport.Checksums;
import ai.thinkheads.phoenix.certs.activities.transport.ExecResult;
import ai.thinkheads.phoenix.certs.activities.transport.FileAttributes;
import ai.thinkheads.phoenix.certs.activities.transport.Transport;
import ai.thinkheads.phoenix.certs.activities.transport.TransportException;
import ai.thinkheads.phoenix.certs.workflows.model.TargetSpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Every Transport operation of the ssh transport against a real sshd guest. */
class SshTransportOperationsTest {

  @RegisterExtension
  static final SimulatedGuests GUESTS = SimulatedGuests.count(1);

  private static SshConnectionPool pool;
  private static Transport transport;
  private static SimulatedGuest guest;

  @BeforeAll
  static void open() {
    guest = GUESTS.guest(0);
    pool = new SshConnectionPool();
    transport = new SshTransportFactory(pool)
        .open(new TargetSpec("ssh", "lxc/101", guest.sshOptions(GUESTS.keys().ed25519())));
  }

  @AfterAll
  static void close() {
    pool.close();
  }

  @Test
  void writesReadsAndHashesBinaryContentWithModeAndOwner() throws Exception {
    byte[] content = new byte[4096];
    for (int i = 0; i < content.length; i++) {
      content[i] = (byte) i; // every byte value, NUL and newlines included
    }
    String path = "/etc/nginx/ssl/ops-binary.key";
    transport.write(path, content, new FileAttributes("0640", "root:nogroup"));

    assertArrayEquals(content, transport.read(path).orElseThrow());
    assertEquals(Checksums.sha256(content), transport.checksum(path).orElseThrow());
    Path onHost = guest.hostPath(path);
    assertArrayEquals(content, Files.readAllBytes(onHost));
    assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(onHost)));
    assertEquals("nogroup", Files.readAttributes(onHost, java.nio.file.attribute.PosixFileAttributes.class)
        .group().getName());
    assertNoTempFiles(onHost.getParent());
  }

  @Test
  void missingFilesReadEmptyAndDoNotExist() {
    assertTrue(transport.read("/etc/nginx/ssl/ops-none").isEmpty());
    assertTrue(transport.checksum("/etc/nginx/ssl/ops-none").isEmpty());
    assertFalse(transport.exists("/etc/nginx/ssl/ops-none"));
    transport.delete("/etc/nginx/ssl/ops-none"); // deleting nothing is fine
  }

  @Test
  void createsMissingDirectoriesAndReplacesExistingFiles() {
    String path = "/etc/nginx/ssl/ops-sub/dir/cert.pem";
    transport.write(path, bytes("one"), FileAttributes.mode("0644"));
    transport.write(path, bytes("two"), FileAttributes.mode("0644"));
    assertTrue(transport.exists(path));
    assertEquals("two", text(transport.read(path).orElseThrow()));
  }

  @Test
  void renamesCopiesAndDeletes() {
    String a = "/etc/nginx/ssl/ops-a";
    String b = "/etc/nginx/ssl/ops-b";
    String c = "/etc/nginx/ssl/ops-c";
    transport.write(a, bytes("alpha"), FileAttributes.mode("0600"));
    transport.write(b, bytes("old b"), FileAttributes.mode("0600"));
    transport.rename(a, b);
    assertFalse(transport.exists(a));
    assertEquals("alpha", text(transport.read(b).orElseThrow()));

    transport.copy(b, c, FileAttributes.mode("0644"));
    assertEquals("alpha", text(transport.read(c).orElseThrow()));
    assertTrue(transport.exists(b));

    transport.delete(b);
    assertFalse(transport.exists(b));
    TransportException gone = assertThrows(TransportException.class,
        () -> transport.copy(b, c, FileAttributes.mode("0644")));
    assertFalse(gone.retryable(), gone.getMessage());
  }

  @Test
  void renamesAKeyAndItsCertificateTogetherOrNeither() {
    String key = "/etc/nginx/ssl/pair.key";
    String cert = "/etc/nginx/ssl/pair.crt";
    transport.write(key, bytes("old key"), FileAttributes.mode("0600"));
    transport.write(cert, bytes("old cert"), FileAttributes.mode("0644"));
    transport.write(key + ".staged", bytes("new key"), FileAttributes.mode("0600"));
    transport.write(cert + ".staged", bytes("new cert"), FileAttributes.mode("0644"));
    transport.renamePair(key + ".staged", key, cert + ".staged", cert);
    assertEquals("new key", text(transport.read(key).orElseThrow()));
    assertEquals("new cert", text(transport.read(cert).orElseThrow()));
    assertFalse(transport.exists(key + ".staged") || transport.exists(cert + ".staged"));

    // The certificate's source is missing: the key is not moved either.
    transport.write(key + ".staged", bytes("newer key"), FileAttributes.mode("0600"));
    TransportException missing = assertThrows(TransportException.class,
        () -> transport.renamePair(key + ".staged", key, cert + ".staged", cert));
    assertTrue(missing.getMessage().contains(cert + ".staged"), missing.getMessage());
    assertEquals("new key", text(transport.read(key).orElseThrow()));
    assertTrue(transport.exists(key + ".staged"));
  }

  @Test
  void installKeepsABackupAndRestoresIt() {
    String path = "/etc/nginx/ssl/ops-install.crt";
    transport.install(path, bytes("first"), FileAttributes.mode("0644"));
    transport.install(path, bytes("second"), FileAttributes.mode("0644"));
    assertEquals("first", text(transport.read(path + ".bak").orElseThrow()));
    assertEquals("second", text(transport.read(path).orElseThrow()));
    assertTrue(transport.restore(path, FileAttributes.mode("0644")));
    assertEquals("first", text(transport.read(path).orElseThrow()));
  }

  @Test
  void execReturnsExitCodeStdoutAndStderr() {
    ExecResult result = transport.exec(List.of("sh", "-c", "echo out; echo err >&2; exit 7"),
        Duration.ofSeconds(10));
    assertEquals(7, result.exitCode());
    assertEquals("out\n", result.stdout());
    assertEquals("err\n", result.stderr());
    // stdin is closed at once: a command reading it sees EOF instead of hanging
    assertEquals(0, transport.exec(List.of("cat"), Duration.ofSeconds(5)).exitCode());
  }

  @Test
  void execRunsInsideTheGuest() throws Exception {
    Files.writeString(guest.hostPath("/etc/nginx/ssl/ops-marker"), "inside");
    assertEquals("inside", transport.exec(List.of("cat", "/etc/nginx/ssl/ops-marker"), Duration.ofSeconds(5))
        .stdout());
  }

  @Test
  void badArgumentsAreRefusedBeforeAnythingRuns() {
    assertFalse(assertThrows(TransportException.class,
        () -> transport.write("relative/path", bytes("x"), FileAttributes.mode("0644"))).retryable());
    assertFalse(assertThrows(TransportException.class,
        () -> transport.write("/etc/nginx/ssl/x", bytes("x"), FileAttributes.mode("u+rwx"))).retryable());
    assertFalse(assertThrows(TransportException.class,
        () -> transport.write("/etc/nginx/ssl/x", bytes("x"), new FileAttributes("0644", "-R root"))).retryable());
  }

  @Test
  void unknownOwnerFailsFinallyAndLeavesTheOldFile() throws Exception {
    String path = "/etc/nginx/ssl/ops-owner";
    transport.write(path, bytes("kept"), FileAttributes.mode("0644"));
    TransportException e = assertThrows(TransportException.class,
        () -> transport.write(path, bytes("new"), new FileAttributes("0644", "no-such-user-here")));
    assertFalse(e.retryable(), e.getMessage());
    assertTrue(e.getMessage().contains("chown"), e.getMessage());
    assertEquals("kept", Files.readString(guest.hostPath(path)));
    assertNoTempFiles(guest.hostPath(path).getParent());
  }

  @Test
  void renameAcrossFileSystemsIsRefusedAsNotAtomic() {
    String shm = "/dev/shm/phoenix-ops-" + ProcessHandle.current().pid();
    transport.write(shm, bytes("x"), FileAttributes.mode("0600"));
    try {
      TransportException e = assertThrows(TransportException.class,
          () -> transport.rename(shm, "/etc/nginx/ssl/ops-cross"));
      assertFalse(e.retryable(), e.getMessage());
      assertFalse(transport.exists("/etc/nginx/ssl/ops-cross"));
    } finally {
      transport.delete(shm);
    }
  }

  static void assertNoTempFiles(Path dir) throws Exception {
    try (Stream<Path> files = Files.list(dir)) {
      List<Path> temps = files.filter(p -> p.getFileName().toString().contains(".tmp-")).toList();
      assertTrue(temps.isEmpty(), "temp files left: " + temps);
    }
  }

  static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  static String text(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
