package ai.thinkheads.phoenix.certs.activities.transport.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.thinkheads.phoenix.certs.activities.testing.guest.SimulatedGuest;
import ai.thinkheads.phoenix.certs.activities.testing.guest.SimulatedGuests;
import ai.thinkheads.phoenix.certs.activities.transport.Transport;
import ai.thinkheads.phoenix.certs.workflows.model.TargetSpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * 50 small reads on one guest through the pooled connection against 50 fresh OpenSSH {@code ssh}
 * invocations doing the same, in the same run. Target: at least 10x. Run with {@code -Pbenchmark}.
 */
@Tag("benchmark")
class SshBenchmarkTest {

  @RegisterExtension
  static final SimulatedGuests GUESTS = SimulatedGuests.count(1);

  private static final int OPERATIONS = 50;
  private static final String PATH = "/etc/nginx/ssl/bench.crt";
  private static final String CONTENT = "-----BEGIN CERTIFICATE-----\nbenchmark\n-----END CERTIFICATE-----\n";

  @Test
  void pooledConnectionAgainstFreshSshInvocations() throws Exception {
    SimulatedGuest guest = GUESTS.guest(0);
    Files.createDirectories(guest.hostPath(PATH).getParent());
    Files.writeString(guest.hostPath(PATH), CONTENT);

    List<String> ssh = List.of("ssh", "-F", "/dev/null", "-i", GUESTS.keys().ed25519().toString(),
        "-p", Integer.toString(guest.port()), "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=yes",
        "-o", "UserKnownHostsFile=" + guest.knownHosts(), "-o", "ControlMaster=no", "-o", "ControlPath=none",
        "root@127.0.0.1", "cat", PATH);
    long pooledNanos = 0;
    long firstPooledNanos = 0;
    long freshNanos = 0;
    // Interleaved, so both sides see the same load on a shared machine. The pool starts cold: the first read
    // pays for the connection.
    try (SshConnectionPool pool = new SshConnectionPool()) {
      Transport transport = new SshTransportFactory(pool)
          .open(new TargetSpec("ssh", "lxc/101", guest.sshOptions(GUESTS.keys().ed25519())));
      for (int i = 0; i < OPERATIONS; i++) {
        long start = System.nanoTime();
        assertEquals(CONTENT, new String(transport.read(PATH).orElseThrow(), StandardCharsets.UTF_8));
        long took = System.nanoTime() - start;
        pooledNanos += took;
        firstPooledNanos = i == 0 ? took : firstPooledNanos;

        start = System.nanoTime();
        Process p = new ProcessBuilder(ssh).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor());
        freshNanos += System.nanoTime() - start;
        assertEquals(CONTENT, out);
      }
      assertEquals(1, pool.connectionsOpened());
    }

    double ratio = (double) freshNanos / pooledNanos;
    System.out.printf(Locale.ROOT, "BENCHMARK %d reads on one guest: pooled SSHJ %.0f ms (first, with connect, "
        + "%.0f ms; then %.1f ms/op), fresh OpenSSH ssh %.0f ms (%.1f ms/op), ratio %.1fx (target >= 10x)%n",
        OPERATIONS, pooledNanos / 1e6, firstPooledNanos / 1e6, (pooledNanos - firstPooledNanos) / 1e6 / (OPERATIONS - 1),
        freshNanos / 1e6, freshNanos / 1e6 / OPERATIONS, ratio);
    assertTrue(ratio >= 10, "pooled connection only " + ratio + "x faster than fresh ssh invocations");
  }
}
