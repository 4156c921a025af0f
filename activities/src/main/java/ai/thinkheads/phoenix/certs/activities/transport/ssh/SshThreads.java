package ai.thinkheads.phoenix.certs.activities.transport.ssh;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/** The daemon threads the SSH layer shares: stream pumps and connect deadlines. */
final class SshThreads {

  /** Pumps stdin, stdout and stderr of running commands, and closes abandoned channels. */
  static final ExecutorService IO = Executors.newCachedThreadPool(r -> daemon(r, "phoenix-ssh-io"));

  /** Cuts connection attempts that outlive their connect timeout. */
  static final ScheduledExecutorService DEADLINES =
      Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "phoenix-ssh-deadline"));

  private SshThreads() {}

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }
}
