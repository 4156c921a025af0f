package ai.thinkheads.phoenix.certs.activities.transport.ssh;

import ai.thinkheads.phoenix.certs.activities.transport.TransportException;
import ai.thinkheads.phoenix.certs.activities.transport.remote.CommandRunner;
import ai.thinkheads.phoenix.certs.activities.transport.remote.RawResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import net.schmizz.sshj.common.SSHException;
import net.schmizz.sshj.connection.channel.ChannelInputStream;
import net.schmizz.sshj.connection.channel.direct.Session;
import net.schmizz.sshj.connection.channel.direct.Signal;

/**
 * Runs argv on an SSH server over a channel of the pooled connection: argv quoted for the remote shell,
 * stdin sent then closed, stdout and stderr drained together (a full window on either would stall the remote
 * side), the whole bounded by the timeout here and, a moment later, by {@code timeout} on the server.
 */
public final class SshCommandRunner implements CommandRunner {

  /** Largest stdout or stderr kept; beyond it the command fails instead of exhausting the worker's memory. */
  static final int MAX_OUTPUT = 64 * 1024 * 1024;

  /** Seconds the remote side lets a command outlive our own timeout before killing it. */
  private static final long REMOTE_GRACE_SECONDS = 2;

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
      commandLine = ShellQuoting.commandLine(withRemoteDeadline(argv, timeout));
    } catch (IllegalArgumentException e) {
      throw new TransportException("cannot run " + argv.get(0) + " on " + target + ": " + e.getMessage(), false);
    }
    try (PooledSession pooled = pool.openSession(options, target, timeout)) {
      try {
        return exec(pooled, commandLine, stdin, timeout, argv.get(0));
      } catch (TransportException e) {
        pooled.checkConnection();
        throw e;
      }
    }
  }

  /**
   * {@code timeout -s KILL <s> argv}: sshd keeps a channel, and its session slot, until the command exits and
   * refuses to signal root sessions, so the remote side must end an overrun command itself. It fires a little
   * after our own timeout, so the caller still sees a timeout rather than exit code 137.
   */
  static List<String> withRemoteDeadline(List<String> argv, Duration timeout) {
    long seconds = (timeout.toMillis() + 999) / 1000 + REMOTE_GRACE_SECONDS;
    List<String> wrapped = new ArrayList<>(List.of("timeout", "-s", "KILL", Long.toString(seconds)));
    wrapped.addAll(argv);
    return wrapped;
  }

  private RawResult exec(PooledSession pooled, String commandLine, byte[] stdin, Duration timeout,
      String program) {
    Session session = pooled.session();
    long deadline = System.nanoTime() + timeout.toNanos();
    Session.Command command;
    try {
      command = session.exec(commandLine);
    } catch (IOException e) {
      throw lost(program, e);
    }
    Future<byte[]> err = SshThreads.IO.submit(() -> drain(command.getErrorStream()));
    Future<?> in = stdin == null ? null : SshThreads.IO.submit(() -> feed(command.getOutputStream(), stdin));
    AtomicBoolean expired = new AtomicBoolean();
    ScheduledFuture<?> alarm = SshThreads.DEADLINES.schedule(() -> {
      expired.set(true);
      wakeReaders(command);
    }, timeout.toNanos(), TimeUnit.NANOSECONDS);
    try {
      if (in == null) {
        command.getOutputStream().close(); // EOF at once: a command reading stdin must not wait for input
      }
      byte[] stdout = drain(command.getInputStream()); // here, not in a pool thread: one handoff less per command
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
      throw overrun(pooled, program, timeout, e);
    } catch (ExecutionException e) {
      if (expired.get()) {
        throw overrun(pooled, program, timeout, e);
      }
      if (e.getCause() instanceof TransportException t) {
        throw t;
      }
      throw lost(program, e.getCause());
    } catch (IOException e) {
      if (expired.get() || remaining(deadline) == 0) {
        throw overrun(pooled, program, timeout, e);
      }
      throw lost(program, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      pooled.abandon();
      throw new TransportException("interrupted while " + program + " ran on " + target, true, e);
    } catch (TransportException e) {
      pooled.abandon(); // output too large: the command may still be writing, do not wait for it
      throw e;
    } finally {
      alarm.cancel(false);
      if (in != null) {
        in.cancel(true);
      }
      err.cancel(true);
    }
  }

  private TransportException overrun(PooledSession pooled, String program, Duration timeout, Exception cause) {
    pooled.abandon();
    return new TransportException(program + " on " + target + " did not finish within " + timeout
        + "; the target kills it shortly; retrying (raise commandTimeout if it needs longer)", true, cause);
  }

  /** Ends blocked reads of stdout and stderr with an error, so the caller can give up at its deadline. */
  private static void wakeReaders(Session.Command command) {
    for (InputStream stream : new InputStream[] {command.getInputStream(), command.getErrorStream()}) {
      if (stream instanceof ChannelInputStream channel) {
        channel.notifyError(new SSHException("command timed out"));
      }
    }
  }

  private TransportException lost(String program, Throwable cause) {
    return new TransportException("connection to " + target + " failed while running " + program + ": "
        + SshConnector.describe(cause) + "; retrying", true, cause);
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
