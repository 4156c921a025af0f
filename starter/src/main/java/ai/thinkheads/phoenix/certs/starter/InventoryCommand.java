package ai.thinkheads.phoenix.certs.starter;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code inventory check <file>}: validation belongs to the worker (it knows which step types are installed and
 * loads the inventory with the same code that runs it), so this runs the worker jar's {@code check} rather
 * than a second, drifting copy of the rules; the CLI stays free of the worker's dependencies.
 */
@Command(name = "inventory", mixinStandardHelpOptions = true, description = "Work with inventory files.",
    subcommands = {InventoryCommand.Check.class})
public class InventoryCommand implements Runnable {

  static final String WORKER_JAR = "phoenix-certs-worker.jar";

  @Override
  public void run() {
    new CommandLine(this).usage(System.err);
  }

  @Command(name = "check", mixinStandardHelpOptions = true,
      description = "Validate an inventory file with the worker's own checks (runs its jar's `check`).",
      exitCodeListHeading = "Exit codes:%n",
      exitCodeList = {
        "0:valid",
        "2:invalid (every problem printed as file:line:column: field: reason), or the worker jar is missing"})
  public static class Check implements Callable<Integer> {

    @Parameters(index = "0", description = "inventory file")
    Path file;

    @Option(names = "--worker-jar", defaultValue = "${env:PHOENIX_WORKER_JAR}",
        description = "the worker jar (default: PHOENIX_WORKER_JAR, else " + WORKER_JAR + " beside this CLI's jar "
            + "or in worker/target)")
    Path workerJar;

    @Override
    public Integer call() throws IOException, InterruptedException {
      Optional<Path> jar = workerJar != null ? Optional.of(workerJar) : findWorkerJar();
      if (jar.isEmpty() || !Files.isRegularFile(jar.get())) {
        System.err.println("phoenix-certs inventory check: cannot find the worker jar "
            + jar.map(Path::toString).orElse(WORKER_JAR) + "; set PHOENIX_WORKER_JAR or --worker-jar, or build it: "
            + "mvn -pl worker -am package");
        return ExitCodes.USAGE;
      }
      List<String> command = new ArrayList<>(List.of(java(), "-XX:TieredStopAtLevel=1", "-jar",
          jar.get().toString(), "check", file.toString()));
      Process process = new ProcessBuilder(command).inheritIO().start();
      return process.waitFor() == 0 ? ExitCodes.OK : ExitCodes.USAGE;
    }

    private static String java() {
      return ProcessHandle.current().info().command().orElse("java");
    }

    private static Optional<Path> findWorkerJar() {
      List<Path> candidates = new ArrayList<>();
      try {
        Path self = Path.of(InventoryCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        if (self.toString().endsWith(".jar")) {
          candidates.add(self.resolveSibling(WORKER_JAR));
          candidates.add(self.getParent().resolve(".." + File.separator + ".." + File.separator + "worker"
              + File.separator + "target" + File.separator + WORKER_JAR).normalize());
        }
      } catch (URISyntaxException | SecurityException | NullPointerException unknownLocation) {
        // fall through to the working directory
      }
      candidates.add(Path.of("worker", "target", WORKER_JAR));
      candidates.add(Path.of("..", "worker", "target", WORKER_JAR).normalize());
      return candidates.stream().filter(Files::isRegularFile).findFirst();
    }
  }
}
