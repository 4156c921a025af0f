package ai.thinkheads.phoenix.certs.activities.transport.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import ai.thinkheads.phoenix.certs.activities.testing.guest.SimulatedGuest;
import ai.thinkheads.phoenix.certs.activities.testing.guest.SimulatedGuests;
import ai.thinkheads.phoenix.certs.activities.transport.FileAttributes;
import ai.thinkheads.phoenix.certs.activities.transport.Transport;
import ai.thinkheads.phoenix.certs.activities.transport.TransportException;
import ai.thinkheads.phoenix.certs.workflows.model.TargetSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A connection cut in the middle of an install leaves the previous file in place and no partial file. */
class SshAtomicInstallTest {

  @RegisterExtension
  static final SimulatedGuests GUESTS = SimulatedGuests.count(1);

  private static final String PATH = "/etc/nginx/ssl/atomic.crt";

  @Test
  void connectionCutMidTransferKeepsThePreviousFile() throws Exception {
    SimulatedGuest guest = GUESTS.guest(0);
    Path onHost = guest.hostPath(PATH);
    try (SshConnectionPool pool = new SshConnectionPool()) {
      Transport transport = new SshTransportFactory(pool)
          .open(new TargetSpec("ssh", "lxc/101", guest.sshOptions(GUESTS.keys().ed25519())));
      transport.install(PATH, "previous\n".getBytes(), FileAttributes.mode("0644"));

      byte[] large = new byte[96 * 1024 * 1024];
      new Random(7).nextBytes(large);
      CompletableFuture<Void> install = CompletableFuture.runAsync(
          () -> transport.install(PATH, large, FileAttributes.mode("0644")));

      // Cut once the new content is partly on the guest's disk: the temp file exists and has grown.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (tempFileSize(onHost.getParent()) < 1024 * 1024) {
        if (install.isDone() || System.nanoTime() > deadline) {
          fail("the transfer ended before it could be cut: " + install);
        }
        Thread.sleep(2);
      }
      assertTrue(guest.killSessions() > 0);

      ExecutionException failure = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
          () -> install.get(30, TimeUnit.SECONDS));
      TransportException e = assertInstanceOf(TransportException.class, failure.getCause());
      assertTrue(e.retryable(), e.getMessage());

      // The remote shell outlives the connection: it sees its stdin end early, finds the digest wrong and
      // removes its temp file. Only once it is done can the target be judged.
      long cleanup = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (!tempFiles(onHost.getParent()).isEmpty() && System.nanoTime() < cleanup) {
        Thread.sleep(50);
      }
      assertEquals(List.of(), tempFiles(onHost.getParent()), "partial files left");
      assertEquals("previous\n", new String(Files.readAllBytes(onHost), java.nio.charset.StandardCharsets.ISO_8859_1));
      assertEquals("previous\n", Files.readString(Path.of(onHost + ".bak")));

      // and the next try, on a fresh connection, goes through
      transport.install(PATH, "next\n".getBytes(), FileAttributes.mode("0644"));
      assertEquals("next\n", Files.readString(onHost));
      assertEquals(2, pool.connectionsOpened());
    }
  }

  private static long tempFileSize(Path dir) throws Exception {
    long size = 0;
    for (Path p : tempFiles(dir)) {
      try {
        size = Math.max(size, Files.size(p));
      } catch (java.nio.file.NoSuchFileException gone) {
        // renamed or removed meanwhile
      }
    }
    return size;
  }

  private static List<Path> tempFiles(Path dir) throws Exception {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.getFileName().toString().startsWith(".atomic.crt.tmp-")).toList();
    }
  }
}
