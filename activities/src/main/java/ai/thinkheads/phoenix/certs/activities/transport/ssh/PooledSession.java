package ai.thinkheads.phoenix.certs.activities.transport.ssh;

import java.io.IOException;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.connection.channel.direct.Session;

/** One channel borrowed from the pool; closing it returns the connection for others and for idle expiry. */
final class PooledSession implements AutoCloseable {

  private final Session session;
  private final SSHClient client;
  private final SshConnectionPool.Slot slot;
  private boolean closed;
  private boolean abandoned;

  PooledSession(Session session, SSHClient client, SshConnectionPool.Slot slot) {
    this.session = session;
    this.client = client;
    this.slot = slot;
  }

  Session session() {
    return session;
  }

  /** After a failure: if the connection itself is dead, drop it so the next operation reconnects. */
  void checkConnection() {
    if (!client.isConnected()) {
      slot.discard(client);
    }
  }

  /**
   * The command overran its timeout: close the channel in the background. sshd answers the close only once
   * the command has exited, and it refuses signals for root sessions, so waiting here would block the caller.
   */
  void abandon() {
    abandoned = true;
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (abandoned) {
      // The server holds the channel until the command ends: so does our count of open channels.
      SshThreads.IO.execute(() -> {
        closeChannel();
        slot.release();
      });
    } else {
      closeChannel();
      slot.release();
    }
  }

  private void closeChannel() {
    try {
      session.close();
    } catch (IOException | RuntimeException ignored) {
      // the channel is gone either way
    }
  }
}
