package ai.thinkheads.phoenix.certs.activities.transport.ssh;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import javax.net.SocketFactory;

/**
 * Hands SSHJ its socket and keeps hold of it, so a deadline can close it. SSHJ reads the server's banner with
 * a blocking read that no SSHJ timeout bounds: a server that accepts and stays silent would hang us forever.
 */
final class DeadlineSocketFactory extends SocketFactory {

  private volatile Socket socket;
  private volatile boolean expired;

  @Override
  public Socket createSocket() throws IOException {
    return track(new Socket());
  }

  @Override
  public Socket createSocket(String host, int port) throws IOException {
    return track(new Socket(host, port));
  }

  @Override
  public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
    return track(new Socket(host, port, localHost, localPort));
  }

  @Override
  public Socket createSocket(InetAddress host, int port) throws IOException {
    return track(new Socket(host, port));
  }

  @Override
  public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
      throws IOException {
    return track(new Socket(address, port, localAddress, localPort));
  }

  /** The deadline passed: closing the socket makes the blocked connect or read fail at once. */
  void expire() {
    expired = true;
    Socket current = socket;
    if (current != null) {
      try {
        current.close();
      } catch (IOException ignored) {
        // closed is what we wanted
      }
    }
  }

  boolean expired() {
    return expired;
  }

  /** Small request/response packets are the whole workload: Nagle plus delayed ACKs would add ~40 ms each. */
  private Socket track(Socket created) throws IOException {
    created.setTcpNoDelay(true);
    socket = created;
    return created;
  }
}
