package ai.thinkheads.phoenix.certs.activities.transport.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.thinkheads.phoenix.certs.activities.testing.guest.SimulatedGuest;
import ai.thinkheads.phoenix.certs.activities.testing.guest.SimulatedGuests;
import ai.thinkheads.phoenix.certs.activities.transport.FileAttributes;
import ai.thinkheads.phoenix.certs.activities.transport.Transport;
import ai.thinkheads.phoenix.certs.workflows.model.TargetSpec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * One TCP connection per server, counted where it cannot lie: sshd logs one "Accepted publickey" line per
 * connection it authenticates.
 */
class SshConnectionPoolTest {

  @RegisterExtension
  static final SimulatedGuests GUESTS = SimulatedGuests.count(1);

  @Test
  void manyOperationsAndTargetsShareOneConnection() {
    SimulatedGuest guest = GUESTS.guest(0);
    try (SshConnectionPool pool = new SshConnectionPool()) {
      long before = guest.acceptedLogins();
      // two inventory targets on the same server and login, opened per step as activities do
      for (int i = 0; i < 10; i++) {
        Transport t = transport(pool, i % 2 == 0 ? "lxc/101" : "lxc/101-alias", Duration.ofMinutes(1));
        t.write("/etc/nginx/ssl/pool-" + i, ("v" + i).getBytes(StandardCharsets.UTF_8), FileAttributes.mode("0644"));
        assertEquals("v" + i, new String(t.read("/etc/nginx/ssl/pool-" + i).orElseThrow(), StandardCharsets.UTF_8));
        t.exists("/etc/nginx/ssl/pool-" + i);
      }
      assertEquals(1, guest.acceptedLogins() - before, "TCP connections for 30 operations");
      assertEquals(1, pool.connectionsOpened());
    }
  }

  @Test
  void concurrentOperationsShareOneConnection() throws Exception {
    SimulatedGuest guest = GUESTS.guest(0);
    ExecutorService threads = Executors.newFixedThreadPool(8);
    try (SshConnectionPool pool = new SshConnectionPool()) {
      long before = guest.acceptedLogins();
      List<Future<String>> results = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        int n = i;
        results.add(threads.submit(() -> transport(pool, "lxc/101", Duration.ofMinutes(1))
            .exec(List.of("echo", "n" + n), Duration.ofSeconds(20)).stdout()));
      }
      for (int i = 0; i < results.size(); i++) {
        assertEquals("n" + i + "\n", results.get(i).get());
      }
      assertEquals(1, guest.acceptedLogins() - before);
    } finally {
      threads.shutdownNow();
    }
  }

  @Test
  void channelsPerConnectionStayUnderSshdsSessionLimit() throws Exception {
    ExecutorService threads = Executors.newFixedThreadPool(20);
    try (SshConnectionPool pool = new SshConnectionPool()) {
      transport(pool, "lxc/101", Duration.ZERO).exists("/etc/hostname"); // connected before the burst
      long start = System.nanoTime();
      List<Future<Integer>> results = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        results.add(threads.submit(() -> transport(pool, "lxc/101", Duration.ZERO)
            .exec(List.of("sleep", "0.5"), Duration.ofSeconds(20)).exitCode()));
      }
      for (Future<Integer> result : results) {
        assertEquals(0, result.get());
      }
      long millis = Duration.ofNanos(System.nanoTime() - start).toMillis();
      // 20 commands of 0.5 s through at most 8 channels at a time: three waves
      assertTrue(millis >= 1400, "took " + millis + " ms: more than " + SshConnectionPool.MAX_CHANNELS
          + " channels were open at once");
      assertEquals(1, pool.connectionsOpened());
    } finally {
      threads.shutdownNow();
    }
  }

  @Test
  void idleConnectionsAreClosedAndReopenedOnDemand() throws Exception {
    SimulatedGuest guest = GUESTS.guest(0);
    try (SshConnectionPool pool = new SshConnectionPool(Duration.ofMillis(300))) {
      long before = guest.acceptedLogins();
      Transport t = transport(pool, "lxc/101", Duration.ofMillis(300));
      t.exists("/etc/hostname");
      t.exists("/etc/hostname");
      Thread.sleep(1200);
      t.exists("/etc/hostname");
      assertEquals(2, guest.acceptedLogins() - before);
    }
  }

  @Test
  void deadConnectionsAreReplacedTransparently() {
    SimulatedGuest guest = GUESTS.guest(0);
    try (SshConnectionPool pool = new SshConnectionPool()) {
      Transport t = transport(pool, "lxc/101", Duration.ofMinutes(1));
      assertEquals(0, t.exec(List.of("true"), Duration.ofSeconds(5)).exitCode());

      guest.killSessions(); // the network drops the connection while it sits idle
      assertEquals(0, t.exec(List.of("true"), Duration.ofSeconds(5)).exitCode());

      guest.restart(); // the server reboots: same host key, every connection gone
      assertEquals(0, t.exec(List.of("true"), Duration.ofSeconds(5)).exitCode());
      assertEquals(3, pool.connectionsOpened());
    }
  }

  private static Transport transport(SshConnectionPool pool, String guestId, Duration unused) {
    return new SshTransportFactory(pool)
        .open(new TargetSpec("ssh", guestId, GUESTS.guest(0).sshOptions(GUESTS.keys().ed25519())));
  }
}
