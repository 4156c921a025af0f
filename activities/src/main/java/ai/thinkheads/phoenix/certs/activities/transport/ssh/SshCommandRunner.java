package ai.thinkheads.phoenix.certs.activities.transport.ssh;

import ai.thinkheads.phoenix.certs.activities.transport.TransportException;
import ai.thinkheads.phoenix.certs.activities.transport.remote.CommandRunner;
import ai.thinkheads.phoenix.certs.activities.transport.remote.RawResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import net.schmizz.sshj.connection.channel.direct.Session;
import net.schmizz.sshj.connection.channel.direct.Signal;

/**
 * Runs argv on an SSH server over a channel of the pooled connection: argv quoted for the remote shell,
 * stdin sent then closed, stdout and stderr drained together (a full window on either would stall the remote
 * side), the whole bounded by the timeout.
 */
public final class SshCommandRunner implements CommandRunner {

  /** Largest stdout or stderr kept; beyond it the command fails instead of exhausting the worker's memory. */
  static final int MAX_OUTPUT = 64 * 1024 * 1024;

  private static final ExecutorService IO = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "phoenix-ssh-io");
    t.setDaemon(true);
    return t;
  });

  private final SshConnectionPool pool;
  private final SshOptions options;
  private final String target;

  /** {@code target} names the server in messages, e.g. "lxc/101 (127.0.0.1:22001)". */
  public SshCommandRunner(SshConnectionPool pool, SshOptions options, String target) {
    this.pool = pool;
    this.options = options;
    this.target = target;
  }

  @Override
  public String describe() {
    return target;
  }

  public SshOptions options() {
    return options;
  }

  @Override
  public RawResult run(List<String> argv, byte[] stdin, Duration timeout) {
    String commandLine;
    try {
      commandLine = ShellQuoting.commandLine(argv);
    } catch (IllegalArgumentException e) {
      throw new TransportException("cannot run " + argv.get(0) + " on " + target + ": " + e.getMessage(), false);
    }
    try (PooledSession pooled = pool.openSession(options, target)) {
      try {
        return exec(pooled.session(), commandLine, stdin, timeout, argv.get(0));
      } catch (TransportException e) {
        pooled.checkConnection();
        throw e;
      }
    }
  }

  private RawResult exec(Session session, String commandLine, byte[] stdin, Duration timeout, String program) {
    long deadline = System.nanoTime() + timeout.toNanos();
    Session.Command command;
    try {
      command = session.exec(commandLine);
    } catch (IOException e) {
      throw lost(program, e);
    }
    Future<byte[]> out = IO.submit(() -> drain(command.getInputStream()));
    Future<byte[]> err = IO.submit(() -> drain(command.getErrorStream()));
    Future<?> in = IO.submit(() -> feed(command.getOutputStream(), stdin));
    try {
      byte[] stdout = out.get(remaining(deadline), TimeUnit.NANOSECONDS);
      byte[] stderr = err.get(remaining(deadline), TimeUnit.NANOSECONDS);
      command.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(remaining(deadline))), TimeUnit.MILLISECONDS);
      Integer status = command.getExitStatus();
      if (status != null) {
        return new RawResult(status, stdout, stderr);
      }
      Signal signal = command.getExitSignal();
      if (signal != null) {
        return new RawResult(128 + signalNumber(signal), stdout, stderr);
      }
      throw new TransportException("connection to " + target + " lost while " + program + " ran; it may or may "
          + "not have finished; retrying", true);
    } catch (TimeoutException e) {
      stop(command);
      throw new TransportException(program + " on " + target + " did not finish within " + timeout
          + "; stopped it, retrying (raise commandTimeout if it needs longer)", true, e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof TransportException t) {
        throw t;
      }
      throw lost(program, e.getCause());
    } catch (IOException e) {
      throw lost(program, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stop(command);
      throw new TransportException("interrupted while " + program + " ran on " + target, true, e);
    } finally {
      in.cancel(true);
      out.cancel(true);
      err.cancel(true);
    }
  }

  private TransportException lost(String program, Throwable cause) {
    return new TransportException("connection to " + target + " failed while running " + program + ": "
        + SshConnector.describe(cause) + "; retrying", true, cause);
  }

  /** Best effort: ask sshd to kill it (OpenSSH 7.9+), then close the channel in any case. */
  private static void stop(Session.Command command) {
    try {
      command.signal(Signal.KILL);
    } catch (IOException | RuntimeException ignored) {
      // older servers ignore signals; closing the channel below is what we can still do
    }
    try {
      command.close();
    } catch (IOException | RuntimeException ignored) {
      // already closed
    }
  }

  private Void feed(OutputStream stream, byte[] stdin) throws IOException {
    try (stream) {
      if (stdin != null) {
        stream.write(stdin);
      }
    } catch (IOException e) {
      // The command may exit without reading all its input; its exit status says whether that mattered.
    }
    return null;
  }

  private byte[] drain(InputStream stream) throws IOException {
    try (stream) {
      java.io.ByteArrayOutputStream buffer = new java.io.ByteArrayOutputStream();
      byte[] chunk = new byte[32 * 1024];
      int n;
      while ((n = stream.read(chunk)) >= 0) {
        if (buffer.size() + n > MAX_OUTPUT) {
          throw new TransportException("output of a command on " + target + " exceeds " + MAX_OUTPUT / (1024 * 1024)
              + " MiB; read smaller files", false);
        }
        buffer.write(chunk, 0, n);
      }
      return buffer.toByteArray();
    }
  }

  private static long remaining(long deadline) {
    return Math.max(0, deadline - System.nanoTime());
  }

  private static int signalNumber(Signal signal) {
    return switch (signal) {
      case HUP -> 1;
      case INT -> 2;
      case QUIT -> 3;
      case ILL -> 4;
      case ABRT -> 6;
      case FPE -> 8;
      case KILL -> 9;
      case USR1 -> 10;
      case SEGV -> 11;
      case USR2 -> 12;
      case PIPE -> 13;
      case ALRM -> 14;
      case TERM -> 15;
      default -> 0;
    };
  }
}
