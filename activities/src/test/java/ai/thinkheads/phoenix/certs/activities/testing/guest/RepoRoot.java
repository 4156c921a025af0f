package ai.thinkheads.phoenix.certs.activities.testing.guest;

import java.nio.file.Files;
import java.nio.file.Path;

/** The checkout's root: the first folder up from the working directory that holds tools/guest. */
public final class RepoRoot {

  private RepoRoot() {}

  public static Path find() {
    Path start = Path.of(System.getProperty("user.dir")).toAbsolutePath();
    for (Path dir = start; dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("tools/guest/start-guest.sh"))) {
        return dir;
      }
    }
    throw new IllegalStateException("no tools/guest/start-guest.sh above " + start
        + "; run the tests from inside the phoenix-certs checkout");
  }
}
