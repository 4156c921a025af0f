package ai.thinkheads.phoenix.certs.activities.transport.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.thinkheads.phoenix.certs.activities.testing.guest.SimulatedGuests;
import ai.thinkheads.phoenix.certs.activities.transport.Transport;
import ai.thinkheads.phoenix.certs.activities.transport.TransportException;
import ai.thinkheads.phoenix.certs.workflows.model.TargetSpec;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** An unreachable server and timeouts are retryable, and bounded by the configured timeouts. */
class SshFailuresTest {

  @RegisterExtension
  static final SimulatedGuests GUESTS = SimulatedGuests.count(1);

  private SshConnectionPool pool;

  @BeforeEach
  void setUp() {
    pool = new SshConnectionPool();
  }

  @AfterEach
  void tearDown() {
    pool.close();
  }

  @Test
  void closedPortIsRetryable() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort(); // free once closed: nothing listens there
    }
    TransportException e = assertThrows(TransportException.class, () -> transport(Map.of("port", "" + port))
        .exists("/etc/hostname"));
    assertTrue(e.retryable(), e.getMessage());
    assertTrue(e.getMessage().startsWith("cannot connect to lxc/101 (127.0.0.1:" + port + ")"), e.getMessage());
  }

  @Test
  void serverThatNeverAnswersTimesOutRetryably() throws Exception {
    try (ServerSocket silent = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
      Thread acceptor = new Thread(() -> {
        try (Socket ignored = silent.accept()) {
          Thread.sleep(10_000); // accepts, then says nothing: no SSH banner
        } catch (Exception done) {
          // socket closed by the test
        }
      });
      acceptor.setDaemon(true);
      acceptor.start();
      long start = System.nanoTime();
      TransportException e = assertThrows(TransportException.class, () -> transport(Map.of(
          "port", "" + silent.getLocalPort(), "connectTimeout", "1s")).exists("/etc/hostname"));
      long seconds = Duration.ofNanos(System.nanoTime() - start).toSeconds();
      assertTrue(e.retryable(), e.getMessage());
      assertTrue(seconds < 5, "took " + seconds + " s with a 1 s connect timeout");
    }
  }

  @Test
  void commandTimeoutIsRetryableAndTheConnectionStaysUsable() {
    Transport transport = transport(Map.of());
    long start = System.nanoTime();
    TransportException e = assertThrows(TransportException.class,
        () -> transport.exec(List.of("sleep", "31"), Duration.ofSeconds(1)));
    long seconds = Duration.ofNanos(System.nanoTime() - start).toSeconds();
    assertTrue(e.retryable(), e.getMessage());
    assertTrue(e.getMessage().contains("did not finish within PT1S"), e.getMessage());
    assertTrue(seconds < 3, "took " + seconds + " s");
    assertEquals(0, transport.exec(List.of("true"), Duration.ofSeconds(5)).exitCode());
    assertEquals(1, pool.connectionsOpened());
    // sshd cannot signal root sessions; the remote deadline ends the command soon after ours
    long deadline = System.nanoTime() + Duration.ofSeconds(8).toNanos();
    while (transport.exec(List.of("pgrep", "-f", "^sleep 31$"), Duration.ofSeconds(5)).exitCode() == 0) {
      assertTrue(System.nanoTime() < deadline, "the overrun command still runs on the guest");
      sleep(200);
    }
  }

  @Test
  void fileOperationsUseTheCommandTimeout() {
    // a FIFO never delivers EOF: read blocks until the command timeout stops it
    Transport transport = transport(Map.of("commandTimeout", "1s"));
    String fifo = "/etc/nginx/ssl/failures-fifo";
    transport.delete(fifo);
    assertEquals(0, transport.exec(List.of("mkfifo", fifo), Duration.ofSeconds(5)).exitCode());
    try {
      TransportException e = assertThrows(TransportException.class, () -> transport.read(fifo));
      assertTrue(e.retryable(), e.getMessage());
    } finally {
      transport.delete(fifo);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private Transport transport(Map<String, String> extra) {
    Map<String, String> options = GUESTS.guest(0).sshOptions(GUESTS.keys().ed25519());
    options.putAll(extra);
    return new SshTransportFactory(pool).open(new TargetSpec("ssh", "lxc/101", options));
  }
}
