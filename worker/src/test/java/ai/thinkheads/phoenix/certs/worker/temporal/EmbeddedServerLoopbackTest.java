package ai.thinkheads.phoenix.certs.worker.temporal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.temporal.api.workflowservice.v1.GetSystemInfoRequest;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The embedded dev server takes workflow starts and signals from whoever reaches its port, without
 * authentication, so it must listen on loopback only: a client reaches it on 127.0.0.1, and a connection to the
 * same port on another address of this machine is refused.
 */
class EmbeddedServerLoopbackTest {

  private static final int CONNECT_TIMEOUT_MILLIS = 3000;

  @Test
  void listensOnLoopbackOnly() throws Exception {
    InetAddress other = nonLoopbackAddress();
    int port = freePort();
    try (TemporalConnection temporal = TemporalConnection.embedded(port)) {
      assertEquals("embedded dev server 127.0.0.1:" + port, temporal.describe());

      WorkflowServiceStubs stubs = WorkflowServiceStubs.newServiceStubs(
          WorkflowServiceStubsOptions.newBuilder().setTarget("127.0.0.1:" + port).build());
      try {
        assertEquals(ServingStatus.SERVING, stubs.healthCheck().getStatus());
        assertTrue(stubs.blockingStub().getSystemInfo(GetSystemInfoRequest.getDefaultInstance())
            .getCapabilities().getSdkMetadata());
      } finally {
        stubs.shutdown();
        stubs.awaitTermination(5, TimeUnit.SECONDS);
      }

      assertThrows(ConnectException.class, () -> connect(new InetSocketAddress(other, port)),
          "the embedded dev server accepts connections on " + other.getHostAddress() + ":" + port
              + "; it must listen on loopback only");
    }
  }

  /**
   * A non-loopback IPv4 address of this machine that accepts local connections, so that a refusal on it means
   * nothing listens there (not that the address is unreachable).
   */
  private static InetAddress nonLoopbackAddress() throws IOException {
    List<InetAddress> candidates = Collections.list(NetworkInterface.getNetworkInterfaces()).stream()
        .filter(EmbeddedServerLoopbackTest::isUp)
        .flatMap(NetworkInterface::inetAddresses)
        .filter(address -> address instanceof Inet4Address && !address.isLoopbackAddress())
        .collect(Collectors.toList());
    if (candidates.isEmpty()) {
      fail("this machine has no non-loopback IPv4 address (see `ip -4 addr`), so the test cannot show that the "
          + "embedded dev server refuses connections from other addresses; give it one (any interface that is up)");
    }
    InetAddress address = candidates.get(0);
    try (ServerSocket control = new ServerSocket(0, 1, address)) {
      connect(new InetSocketAddress(address, control.getLocalPort()));
    }
    return address;
  }

  private static boolean isUp(NetworkInterface networkInterface) {
    try {
      return networkInterface.isUp() && !networkInterface.isLoopback();
    } catch (SocketException e) {
      return false;
    }
  }

  private static void connect(InetSocketAddress address) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(address, CONNECT_TIMEOUT_MILLIS);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
