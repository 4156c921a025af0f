package ai.thinkheads.phoenix.certs.activities.testing.acme;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** A server a test starts (its output in a log file) and stops by its PID: SIGTERM, then SIGKILL. */
final class LoggedProcess implements AutoCloseable {

  private final String name;
  private final Path log;
  private final Process process;

  private LoggedProcess(String name, Path log, Process process) {
    this.name = name;
    this.log = log;
    this.process = process;
  }

  static LoggedProcess start(String name, List<String> argv, Map<String, String> env, Path log) {
    try {
      ProcessBuilder builder = new ProcessBuilder(argv).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
          .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
      builder.environment().putAll(env);
      return new LoggedProcess(name, log, builder.start());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + name + " (" + argv.get(0) + "; run "
          + "tools/guest/install-deps.sh)", e);
    }
  }

  /** Waits until {@code ready} holds; fails with the end of the log if the process dies or 20 s pass. */
  LoggedProcess awaitReady(BooleanSupplier ready) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!ready.getAsBoolean()) {
      if (!process.isAlive() || System.nanoTime() > deadline) {
        String why = process.isAlive() ? "is not ready after 20 s" : "exited with " + process.exitValue();
        close();
        throw new IllegalStateException(name + " " + why + ":\n" + tail());
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    return this;
  }

  String tail() {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
