package ai.thinkheads.phoenix.certs.activities.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Arguments a shell would love to interpret. Each remote transport must deliver them to the program as they
 * are and run nothing else: every injection attempt here would create the canary file (in /tmp, which the
 * simulated guests share with the test JVM).
 */
public final class TrickyArgv {

  private TrickyArgv() {}

  public static Path canary() {
    return Path.of("/tmp", "phoenix-certs-canary-" + ProcessHandle.current().pid());
  }

  public static List<String> arguments() {
    String c = canary().toString();
    return List.of("two words", "it's", "\"double\"", "'", "''", "a;b", "; touch " + c, "$(touch " + c + ")",
        "`touch " + c + "`", "line one\nline two\n", "", " ", "*", "?", "$HOME", "${PATH}", "\\back\\slash\\",
        "-n", "--", "tab\there", "ünïcödé €", "&& touch " + c, "| touch " + c, "> " + c, "#comment",
        "!event", "~", "x' ; touch " + c + " ; echo 'y", "\"; touch " + c + "; \"");
  }

  /** Runs {@code printf '%s\0' args...} through the transport and checks every argument arrived intact. */
  public static void assertArrivesIntact(Transport transport) throws Exception {
    Files.deleteIfExists(canary());
    List<String> argv = new ArrayList<>(List.of("printf", "%s\\0"));
    argv.addAll(arguments());
    ExecResult result = transport.exec(argv, Duration.ofSeconds(20));
    assertEquals(0, result.exitCode(), result.stderr());
    List<String> received = new ArrayList<>(Arrays.asList(result.stdout().split("\0", -1)));
    received.remove(received.size() - 1); // after the last terminator
    assertEquals(arguments(), received);
    assertFalse(Files.exists(canary()), "an argument was run as shell code: " + canary() + " exists");
  }
}
