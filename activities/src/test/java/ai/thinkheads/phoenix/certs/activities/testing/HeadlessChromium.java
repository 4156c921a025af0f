package ai.thinkheads.phoenix.certs.activities.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's chromium, headless, on a local file: the DOM it built (--dump-dom) and a screenshot. A fresh profile per
 * call, no network features; the process is stopped by its own handle.
 */
public final class HeadlessChromium {

  private HeadlessChromium() {}

  public static String dumpDom(Path page, Path work) throws IOException, InterruptedException {
    return run(page, work, "--dump-dom");
  }

  public static void screenshot(Path page, Path png, Path work) throws IOException, InterruptedException {
    run(page, work, "--screenshot=" + png, "--window-size=1400,1800");
  }

  private static String run(Path page, Path work, String... what) throws IOException, InterruptedException {
    Path profile = Files.createTempDirectory(work, "chromium-profile");
    List<String> argv = new ArrayList<>(List.of("chromium", "--headless", "--no-sandbox", "--disable-gpu",
        "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--user-data-dir=" + profile));
    argv.addAll(List.of(what));
    argv.add(page.toUri().toString());
    Path out = work.resolve("chromium-" + System.nanoTime() + ".out");
    Process process = new ProcessBuilder(argv).redirectOutput(out.toFile())
        .redirectError(work.resolve("chromium.err").toFile()).start();
    if (!process.waitFor(90, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException("chromium did not finish in 90 s");
    }
    if (process.exitValue() != 0) {
      throw new IllegalStateException("chromium exited " + process.exitValue() + ": "
          + Files.readString(work.resolve("chromium.err")));
    }
    return Files.readString(out, StandardCharsets.UTF_8);
  }
}
