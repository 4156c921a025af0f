package ai.thinkheads.phoenix.certs.worker.temporal;

import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.temporal.internal.testservice.GRPCServerHelper;
import io.temporal.internal.testservice.TestServicesStarter;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Temporal's Java test server (the embedded dev server), served by a gRPC server that listens on the loopback
 * address only. {@code TestServer.createPortBoundServer} listens on every interface without authentication, so
 * anyone who can reach the machine could start and signal workflows; this one is reachable from this machine
 * only. Time skipping is locked: timers run on the wall clock, as on a real Temporal.
 *
 * <p>It builds on the test server's services ({@code io.temporal.internal.testservice}), which the SDK marks
 * internal: check this class when the Temporal SDK version changes.
 */
public final class LoopbackTestServer implements Closeable {

  private static final Logger log = LoggerFactory.getLogger(LoopbackTestServer.class);
  private static final long SHUTDOWN_SECONDS = 5;

  /**
   * Closed runs each workflow keeps (PHOENIX_EMBEDDED_KEEP_RUNS, default 2; "all" keeps every run): the embedded
   * server's stand-in for a namespace's retention period. {@code describe} lists the runs that are kept.
   */
  static final String KEEP_RUNS = System.getenv().getOrDefault("PHOENIX_EMBEDDED_KEEP_RUNS", "2");
  static final Duration SWEEP_EVERY = Duration.ofMinutes(1);

  private final TestServicesStarter services;
  private final Server server;
  private final InetSocketAddress address;
  private final ScheduledExecutorService sweeper;

  private LoopbackTestServer(TestServicesStarter services, Server server, ClosedRunRetention retention) {
    this.services = services;
    this.server = server;
    this.address = (InetSocketAddress) server.getListenSockets().get(0);
    this.sweeper = Executors.newSingleThreadScheduledExecutor(task -> {
      Thread thread = new Thread(task, "embedded-retention");
      thread.setDaemon(true);
      return thread;
    });
    if (retention != null) {
      sweeper.scheduleWithFixedDelay(() -> sweep(retention), SWEEP_EVERY.toMillis(), SWEEP_EVERY.toMillis(),
          TimeUnit.MILLISECONDS);
    }
  }

  private static void sweep(ClosedRunRetention retention) {
    try {
      int dropped = retention.sweep();
      if (dropped > 0) {
        log.debug("Temporal: embedded server dropped {} closed runs beyond the last {} of each workflow", dropped,
            KEEP_RUNS);
      }
    } catch (RuntimeException e) {
      log.warn("Temporal: embedded server retention failed: {}", e.toString());
    }
  }

  /** How many closed runs each workflow keeps; -1 for all. */
  static int keepRuns(String text) {
    if (text.strip().equalsIgnoreCase("all")) {
      return -1;
    }
    try {
      int keep = Integer.parseInt(text.strip());
      if (keep >= 0) {
        return keep;
      }
    } catch (NumberFormatException notANumber) {
      // reported below
    }
    throw new IllegalArgumentException("PHOENIX_EMBEDDED_KEEP_RUNS=" + text + " is neither a count (0 or more) "
        + "nor \"all\"");
  }

  /** Starts the services and listens on the loopback address at {@code port} (0: any free port). */
  public static LoopbackTestServer start(int port) {
    return start(port, true);
  }

  /** As {@link #start(int)}; {@code discardLockLog} false leaves the test server's lock event log as it is. */
  static LoopbackTestServer start(int port, boolean discardLockLog) {
    int keep = keepRuns(KEEP_RUNS); // a bad value fails before anything is started
    TestServicesStarter services = new TestServicesStarter(true, 0);
    if (discardLockLog) {
      LockEventLog.discardEvents(services);
    }
    ClosedRunRetention retention = keep < 0 ? null : ClosedRunRetention.of(services, keep);
    InetSocketAddress loopback = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
    ServerBuilder<?> builder = NettyServerBuilder.forAddress(loopback, InsecureServerCredentials.create());
    GRPCServerHelper.registerServicesAndHealthChecks(services.getServices(), builder);
    try {
      return new LoopbackTestServer(services, builder.build().start(), retention);
    } catch (IOException e) {
      services.close();
      throw new UncheckedIOException("cannot listen on " + loopback + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      services.close();
      throw e;
    }
  }

  TestServicesStarter services() {
    return services;
  }

  /** Runs a retention sweep now (tests); how many closed runs it dropped. */
  int sweepNow(int keep) {
    ClosedRunRetention retention = ClosedRunRetention.of(services, keep);
    return retention == null ? 0 : retention.sweep();
  }

  /** The address the gRPC server listens on. */
  public InetSocketAddress address() {
    return address;
  }

  /** {@code host:port} for a client. */
  public String target() {
    InetAddress host = address.getAddress();
    String literal = host instanceof Inet6Address ? "[" + host.getHostAddress() + "]" : host.getHostAddress();
    return literal + ":" + address.getPort();
  }

  /** Stops the gRPC server (waiting up to 5 s for calls in flight), then the services. */
  @Override
  public void close() {
    sweeper.shutdownNow();
    server.shutdown();
    try {
      if (!server.awaitTermination(SHUTDOWN_SECONDS, TimeUnit.SECONDS)) {
        log.warn("Temporal: embedded dev server still had calls in flight after {} s; cancelling them",
            SHUTDOWN_SECONDS);
        server.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      server.shutdownNow();
    } finally {
      services.close();
    }
  }
}
