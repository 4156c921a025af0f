package ai.thinkheads.phoenix.certs.activities.transport.ssh;

import ai.thinkheads.phoenix.certs.activities.transport.TransportException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.connection.channel.direct.Session;

/**
 * One SSH connection per server and login, shared by every step and every thread that targets it (each
 * operation opens its own channel on it), closed after it sat unused for the idle time, and replaced without
 * the caller noticing when the server or network dropped it. One pool serves the ssh, pct and qm transports,
 * so every container behind one Proxmox host shares the host's connection.
 */
public final class SshConnectionPool implements AutoCloseable {

  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(2);

  /**
   * Channels open at once on one connection. sshd refuses more than MaxSessions (default 10) and keeps a
   * channel's slot until its command exits, so callers beyond this wait instead of failing.
   */
  static final int MAX_CHANNELS = 8;

  /** What a connection is shared by: the server and login, and the files that authenticated both sides. */
  record Key(String address, int port, String user, Path identityFile, Path knownHosts) {}

  private final SshConnector connector = new SshConnector();
  private final ConcurrentHashMap<Key, Slot> slots = new ConcurrentHashMap<>();
  private final AtomicInteger connectionsOpened = new AtomicInteger();
  private final long idleNanos;
  private final ScheduledExecutorService sweeper;

  public SshConnectionPool() {
    this(DEFAULT_IDLE_TIMEOUT);
  }

  public SshConnectionPool(Duration idleTimeout) {
    this.idleNanos = idleTimeout.toNanos();
    this.sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "phoenix-ssh-pool-sweeper");
      t.setDaemon(true);
      return t;
    });
    long period = Math.max(200, idleTimeout.toMillis() / 4);
    sweeper.scheduleWithFixedDelay(this::closeIdle, period, period, TimeUnit.MILLISECONDS);
  }

  /** How many connections this pool has opened so far (reconnects included): a cheap reuse metric. */
  public int connectionsOpened() {
    return connectionsOpened.get();
  }

  /**
   * A new channel on the shared connection for {@code options}, connecting first when there is none. Waits
   * at most {@code wait} for one of the connection's {@value #MAX_CHANNELS} channels to be free.
   */
  PooledSession openSession(SshOptions options, String target, Duration wait) {
    Slot slot = slots.computeIfAbsent(options.poolKey(), k -> new Slot());
    slot.acquireChannel(target, wait);
    try {
      return slot.openSession(options, target);
    } catch (RuntimeException e) {
      slot.releaseChannel();
      throw e;
    }
  }

  private void closeIdle() {
    long now = System.nanoTime();
    slots.values().forEach(slot -> slot.closeIfIdle(now));
  }

  @Override
  public void close() {
    sweeper.shutdownNow();
    slots.values().forEach(Slot::close);
  }

  /** The connection of one key. Slots are never removed (one per server in the inventory); clients come and go. */
  final class Slot {

    private final Semaphore channels = new Semaphore(MAX_CHANNELS, true);
    private SSHClient client;
    private int users;
    private long lastUsed = System.nanoTime();

    void acquireChannel(String target, Duration wait) {
      try {
        if (!channels.tryAcquire(wait.toNanos(), TimeUnit.NANOSECONDS)) {
          throw new TransportException("all " + MAX_CHANNELS + " channels to " + target + " stayed busy for "
              + wait + "; retrying", true);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new TransportException("interrupted while waiting for a channel to " + target, true, e);
      }
    }

    void releaseChannel() {
      channels.release();
    }

    // Connecting under the slot's lock makes concurrent first users of a server wait for one connection
    // instead of opening one each; other servers have other slots and are not held up.
    synchronized PooledSession openSession(SshOptions options, String target) {
      if (client == null || !client.isConnected() || !client.isAuthenticated()) {
        replace(options, target);
      }
      Session session;
      try {
        session = client.startSession();
      } catch (IOException stale) {
        if (client.isConnected() && users > 0) {
          // Refused while others use the connection: replacing it would cut their commands.
          throw new TransportException("cannot open a channel to " + target + ": " + SshConnector.describe(stale)
              + "; retrying", true, stale);
        }
        // Dropped while idle (server restart, NAT timeout). Nothing ran yet, so a fresh connection is safe.
        replace(options, target);
        try {
          session = client.startSession();
        } catch (IOException e) {
          discard(client);
          throw new TransportException("cannot open a channel to " + target + ": " + SshConnector.describe(e)
              + "; retrying", true, e);
        }
      }
      users++;
      return new PooledSession(session, client, this);
    }

    private void replace(SshOptions options, String target) {
      if (client != null) {
        SshConnector.closeQuietly(client);
        client = null;
      }
      client = connector.connect(options, target);
      connectionsOpened.incrementAndGet();
    }

    /** A channel is closed (and the server has let go of it): the connection may idle, others may open one. */
    synchronized void release() {
      users--;
      lastUsed = System.nanoTime();
      channels.release();
    }

    /** Drops {@code broken} if it is still this slot's connection; the next user reconnects. */
    synchronized void discard(SSHClient broken) {
      SshConnector.closeQuietly(broken);
      if (client == broken) {
        client = null;
      }
    }

    synchronized void closeIfIdle(long now) {
      if (client != null && users == 0 && now - lastUsed > idleNanos) {
        close();
      }
    }

    synchronized void close() {
      if (client != null) {
        SshConnector.closeQuietly(client);
        client = null;
      }
    }
  }
}
