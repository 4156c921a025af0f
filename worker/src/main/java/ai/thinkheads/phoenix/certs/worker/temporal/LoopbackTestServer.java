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

  private final TestServicesStarter services;
  private final Server server;
  private final InetSocketAddress address;

  private LoopbackTestServer(TestServicesStarter services, Server server) {
    this.services = services;
    this.server = server;
    this.address = (InetSocketAddress) server.getListenSockets().get(0);
  }

  /** Starts the services and listens on the loopback address at {@code port} (0: any free port). */
  public static LoopbackTestServer start(int port) {
    return start(port, true);
  }

  /** As {@link #start(int)}; {@code discardLockLog} false leaves the test server's lock event log as it is. */
  static LoopbackTestServer start(int port, boolean discardLockLog) {
    TestServicesStarter services = new TestServicesStarter(true, 0);
    if (discardLockLog) {
      LockEventLog.discardEvents(services);
    }
    InetSocketAddress loopback = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
    ServerBuilder<?> builder = NettyServerBuilder.forAddress(loopback, InsecureServerCredentials.create());
    GRPCServerHelper.registerServicesAndHealthChecks(services.getServices(), builder);
    try {
      return new LoopbackTestServer(services, builder.build().start());
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
