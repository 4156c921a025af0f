package ai.thinkheads.phoenix.certs.activities.testing.stepca;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The step-ca server binary, built (or found up to date) by {@code tools/step-ca/build.sh}. */
final class StepCaBinary {

  private static final long BUILD_TIMEOUT_MINUTES = 10;

  private StepCaBinary() {}

  /** Runs build.sh (a no-op when the binary is newer than main.go) and returns the path it prints last. */
  static Path build() {
    Path script = repoRoot().resolve("tools/step-ca/build.sh");
    try {
      Path log = Files.createTempFile("step-ca-build", ".log");
      Process build = new ProcessBuilder("bash", script.toString())
          .redirectError(log.toFile())
          .start();
      String stdout = new String(build.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!build.waitFor(BUILD_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
        build.destroyForcibly();
        throw new IllegalStateException(script + " did not finish in " + BUILD_TIMEOUT_MINUTES + " minutes; see "
            + log);
      }
      List<String> lines = stdout.lines().filter(l -> !l.isBlank()).toList();
      if (build.exitValue() != 0 || lines.isEmpty()) {
        throw new IllegalStateException(script + " failed (exit " + build.exitValue() + "): "
            + tail(Files.readString(log)) + "\nCI needs: golang-go golang-github-smallstep-certificates-dev gcc "
            + "libc6-dev libzstd-dev pkgconf (build.sh installs them when it may)");
      }
      Path binary = Path.of(lines.get(lines.size() - 1));
      if (!Files.isExecutable(binary)) {
        throw new IllegalStateException(script + " printed " + binary + ", which is not an executable");
      }
      return binary;
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + script + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while building step-ca", e);
    }
  }

  /** The checkout's root: the first directory up from user.dir that holds tools/step-ca. */
  static Path repoRoot() {
    for (Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isDirectory(dir.resolve("tools/step-ca"))) {
        return dir;
      }
    }
    throw new IllegalStateException("no tools/step-ca above " + System.getProperty("user.dir")
        + "; run the tests from inside the phoenix-certs checkout");
  }

  static String tail(String text) {
    List<String> lines = text.lines().toList();
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
  }
}
