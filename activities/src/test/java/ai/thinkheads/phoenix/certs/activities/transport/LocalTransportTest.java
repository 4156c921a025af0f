package ai.thinkheads.phoenix.certs.activities.transport;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalTransportTest {

  @TempDir
  Path dir;

  final LocalTransport transport = new LocalTransport("local/test");

  @Test
  void writeIsAtomicWithTheModeAskedAndLeavesNoTempFile() throws Exception {
    String path = dir.resolve("sub/key.pem").toString();
    transport.write(path, "secret".getBytes(UTF_8), FileAttributes.mode("0600"));

    assertEquals("secret", Files.readString(Path.of(path)));
    assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(Path.of(path)));
    try (var files = Files.list(dir.resolve("sub"))) {
      assertEquals(List.of("key.pem"), files.map(p -> p.getFileName().toString()).toList());
    }
  }

  @Test
  void installKeepsThePreviousVersionAndRestorePutsItBack() throws Exception {
    String path = dir.resolve("cert.pem").toString();
    FileAttributes attributes = FileAttributes.mode("0644");
    transport.install(path, "one".getBytes(UTF_8), attributes);
    assertFalse(transport.exists(Transport.backupOf(path)), "nothing to back up on a first install");
    transport.install(path, "two".getBytes(UTF_8), attributes);

    assertEquals("two", Files.readString(Path.of(path)));
    assertEquals("one", Files.readString(Path.of(Transport.backupOf(path))));
    assertTrue(transport.restore(path, attributes));
    assertEquals("one", Files.readString(Path.of(path)));
    assertEquals(transport.checksum(path), transport.checksum(Transport.backupOf(path)));
  }

  @Test
  void aWriteThatCannotHappenLeavesTheOldFileIntact() throws Exception {
    Path blocked = dir.resolve("blocked");
    Files.createDirectories(blocked);
    Path file = blocked.resolve("cert.pem");
    Files.writeString(file, "old");
    Files.setPosixFilePermissions(blocked, PosixFilePermissions.fromString("r-xr-xr-x"));
    try {
      // root ignores directory modes; a file in place of the directory fails for everyone
      String impossible = file.resolve("child.pem").toString();
      assertThrows(TransportException.class,
          () -> transport.write(impossible, "new".getBytes(UTF_8), FileAttributes.mode("0644")));
      assertEquals("old", Files.readString(file));
    } finally {
      Files.setPosixFilePermissions(blocked, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
  }

  @Test
  void execReturnsExitCodeAndBothStreamsAndNeverUsesAShell() {
    ExecResult result = transport.exec(List.of("sh", "-c", "echo out; echo err >&2; exit 3"),
        Duration.ofSeconds(10));
    assertEquals(3, result.exitCode());
    assertEquals("out\n", result.stdout());
    assertEquals("err\n", result.stderr());

    String hostile = "a b; echo INJECTED $(id) `id` 'q' \"d\"\nline";
    ExecResult echoed = transport.exec(List.of("printf", "%s", hostile), Duration.ofSeconds(10));
    assertEquals(hostile, echoed.stdout());
  }

  @Test
  void aMissingCommandIsAnExitCodeNotACrash() {
    ExecResult result = transport.exec(List.of("/nonexistent/phoenix"), Duration.ofSeconds(5));
    assertEquals(127, result.exitCode());
  }

  @Test
  void aCommandPastItsTimeoutIsStopped() {
    assertThrows(TransportException.class, () -> transport.exec(List.of("sleep", "5"), Duration.ofMillis(200)));
  }

  @Test
  void readOfAMissingFileIsEmptyAndRenameReplacesAtomically() throws Exception {
    assertTrue(transport.read(dir.resolve("none").toString()).isEmpty());
    Files.writeString(dir.resolve("a"), "a");
    Files.writeString(dir.resolve("b"), "b");
    transport.rename(dir.resolve("a").toString(), dir.resolve("b").toString());
    assertArrayEquals("a".getBytes(UTF_8), transport.read(dir.resolve("b").toString()).orElseThrow());
    assertFalse(transport.exists(dir.resolve("a").toString()));
  }
}
