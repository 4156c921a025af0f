package ai.thinkheads.phoenix.certs.activities.testing.guest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

/**
 * The guests of one test run, started on demand and shared by every test class (starting one costs ~2 s), all
 * stopped by PID when JUnit closes the root store, or by a shutdown hook if the JVM dies first.
 */
final class GuestFleet implements AutoCloseable {

  private final Path repoRoot = RepoRoot.find();
  private final Path base;
  private final ClientKeys keys;
  private final List<SimulatedGuest> guests = new ArrayList<>();
  private SimulatedProxmoxHost proxmoxHost;
  private final Thread shutdownHook = new Thread(this::stopAll, "simulated-guests-stop");

  GuestFleet() {
    try {
      base = Files.createDirectories(Path.of("target", "simulated-guests").toAbsolutePath())
          .resolve("run-" + ProcessHandle.current().pid());
      Files.createDirectories(base);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    keys = ClientKeys.generate(base.resolve("keys"));
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  Path base() {
    return base;
  }

  ClientKeys keys() {
    return keys;
  }

  /**
   * Starts whatever is missing of {@code count} guests and, if asked, the Proxmox host, in parallel: a first
   * start rebuilds the guest's trust store and takes a few seconds of CPU each.
   */
  synchronized void ensure(int count, boolean withProxmoxHost) {
    Path authorized = base.resolve("authorized_keys");
    try {
      Files.write(authorized, keys.publicKeyLines());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Path trustTemplate = base.resolve("trust-template");
    Commands.run(List.of(repoRoot.resolve("tools/guest/make-trust-template.sh").toString(),
        trustTemplate.toString()));
    ExecutorService starters = Executors.newCachedThreadPool();
    try {
      List<Future<SimulatedGuest>> newGuests = new ArrayList<>();
      for (int i = guests.size(); i < count; i++) {
        Path dir = base.resolve("guest-" + i);
        newGuests.add(starters.submit(() -> SimulatedGuest.start(repoRoot, dir, freePort(), authorized,
            trustTemplate)));
      }
      Future<SimulatedProxmoxHost> newHost = withProxmoxHost && proxmoxHost == null
          ? starters.submit(() -> SimulatedProxmoxHost.start(repoRoot, base.resolve("pve"), freePort(), keys,
              trustTemplate))
          : null;
      RuntimeException failure = null;
      for (Future<SimulatedGuest> guest : newGuests) {
        try {
          guests.add(guest.get()); // kept even if another failed, so close() stops it
        } catch (Exception e) {
          failure = failure == null ? new IllegalStateException("cannot start a simulated guest", e) : failure;
        }
      }
      if (newHost != null) {
        try {
          proxmoxHost = newHost.get();
        } catch (Exception e) {
          failure = failure == null ? new IllegalStateException("cannot start the simulated Proxmox host", e)
              : failure;
        }
      }
      if (failure != null) {
        throw failure;
      }
    } finally {
      starters.shutdown();
    }
  }

  synchronized SimulatedGuest guest(int index) {
    return guests.get(index);
  }

  synchronized SimulatedProxmoxHost proxmoxHost() {
    if (proxmoxHost == null) {
      ensure(guests.size(), true);
    }
    return proxmoxHost;
  }

  @Override
  public void close() {
    stopAll();
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException ignored) {
      // already shutting down
    }
    deleteTree(base);
  }

  private synchronized void stopAll() {
    for (SimulatedGuest guest : guests) {
      stopQuietly(guest);
    }
    guests.clear();
    if (proxmoxHost != null) {
      stopQuietly(proxmoxHost.guest());
      proxmoxHost = null;
    }
  }

  private static void stopQuietly(SimulatedGuest guest) {
    try {
      guest.stop();
    } catch (RuntimeException e) {
      System.err.println("could not stop " + guest + ": " + e.getMessage());
    }
  }

  /** A port the kernel just handed out on loopback; sshd binds it a moment later. */
  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The guests are stopped, so their bind mounts are gone and only our own files remain. */
  private static void deleteTree(Path root) {
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      System.err.println("could not delete " + root + ": " + e.getMessage());
    }
  }
}
