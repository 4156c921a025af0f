package ai.thinkheads.phoenix.certs.worker.testing;

import ai.thinkheads.phoenix.certs.worker.WorkerCommand;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Worker processes as operators run them ({@code run --inventory}), against a Temporal server in the test JVM,
 * each in its own JVM with its output in {@code <dir>/<name>.out} and {@code .err}. Closing kills them all and
 * keeps their output in {@code target/worker-logs/}.
 */
public final class WorkerProcesses implements AutoCloseable {

  private final Path dir;
  private final List<Process> started = new ArrayList<>();

  public WorkerProcesses(Path dir) {
    this.dir = dir;
  }

  public Process start(Path inventory, int temporalPort, String name) throws Exception {
    return start(inventory, temporalPort, name, Map.of());
  }

  public Process start(Path inventory, int temporalPort, String name, Map<String, String> environment)
      throws Exception {
    ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), WorkerCommand.class.getName(), "run", "--inventory",
        inventory.toString())
        .directory(dir.toFile())
        .redirectOutput(dir.resolve(name + ".out").toFile())
        .redirectError(dir.resolve(name + ".err").toFile());
    builder.environment().put("TEMPORAL_ADDRESS", "127.0.0.1:" + temporalPort);
    // Temporal's test server never moves a task off a dead worker's sticky queue; a real server does after 5 s.
    builder.environment().put("PHOENIX_STICKY_TIMEOUT", "0s");
    // Each worker's HTTP server (/metrics is on by default) on a port of its own, not 8742: several workers run at
    // once, and other test JVMs may hold 8742.
    builder.environment().put("MICRONAUT_SERVER_PORT", String.valueOf(FreePort.next()));
    builder.environment().putAll(environment);
    Process process = builder.start();
    started.add(process);
    return process;
  }

  /** What a worker printed, both streams. */
  public String output(String name) throws Exception {
    return java.nio.file.Files.readString(dir.resolve(name + ".out")) + java.nio.file.Files.readString(
        dir.resolve(name + ".err"));
  }

  @Override
  public void close() throws Exception {
    for (Process process : started) {
      process.destroyForcibly().waitFor();
    }
    keepLogs();
  }

  /** The workers' output outlives the test's temporary directory: a failure in CI can be read afterwards. */
  private void keepLogs() throws java.io.IOException {
    Path kept = Path.of("target", "worker-logs", dir.getFileName().toString());
    java.nio.file.Files.createDirectories(kept);
    try (var files = java.nio.file.Files.list(dir)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".out") || f.toString().endsWith(".err")).toList()) {
        java.nio.file.Files.copy(file, kept.resolve(file.getFileName()),
            java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
    }
  }
}
