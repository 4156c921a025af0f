package ai.thinkheads.phoenix.certs.worker.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy/prometheus checked by Prometheus' own promtool (Debian's prometheus package): the config, the alert
 * rules, and the rules' unit tests (deploy/prometheus/tests), which say which alert fires when. A copy of the
 * rules with one threshold changed must fail the unit tests, so a promtool that passes everything is caught.
 */
class PrometheusRulesTest {

  static final Path DEPLOY = Path.of("..", "deploy", "prometheus").toAbsolutePath().normalize();
  static final String TOKEN_IN_CONTAINER = "/run/secrets/metrics_token";

  @TempDir
  Path dir;

  @Test
  void rulesAreValidAndTheirUnitTestsPass() throws Exception {
    Result rules = promtool("check", "rules", DEPLOY.resolve("rules/phoenix-certs.yml").toString());
    assertEquals(0, rules.code(), rules.output());
    assertTrue(rules.output().contains("SUCCESS: 11 rules found"), rules.output());

    Result tests = promtool("test", "rules", DEPLOY.resolve("tests/phoenix-certs-test.yml").toString());
    assertEquals(0, tests.code(), tests.output());
    assertTrue(tests.output().contains("SUCCESS"), tests.output());
  }

  @Test
  void theUnitTestsCatchAChangedThreshold() throws Exception {
    Path copy = copyDeploy();
    Path rules = copy.resolve("rules/phoenix-certs.yml");
    String text = Files.readString(rules);
    String changed = text.replace("phoenix_certificate_consecutive_failures >= 2",
        "phoenix_certificate_consecutive_failures >= 3");
    assertTrue(!changed.equals(text), "the rule to change is in the file");
    Files.writeString(rules, changed);
    Result tests = promtool("test", "rules", copy.resolve("tests/phoenix-certs-test.yml").toString());
    assertEquals(1, tests.code(), tests.output());
    assertTrue(tests.output().contains("PhoenixCertificateRenewalFailing"), tests.output());
  }

  /**
   * The scrape config names the metrics token where compose mounts it; promtool checks that the file exists, so
   * the check runs on a copy where that one path (and nothing else) points at a token file made here.
   */
  @Test
  void theConfigIsValid() throws Exception {
    Path copy = copyDeploy();
    Path config = copy.resolve("prometheus.yml");
    String text = Files.readString(config);
    assertEquals(1, text.split(TOKEN_IN_CONTAINER, -1).length - 1, "one credentials_file: " + text);
    Path token = dir.resolve("metrics_token");
    Files.writeString(token, "metrics-token-0123456789abcdef\n");
    Files.writeString(config, text.replace(TOKEN_IN_CONTAINER, token.toString()));
    Result check = promtool("check", "config", config.toString());
    assertEquals(0, check.code(), check.output());
    assertTrue(check.output().contains("SUCCESS: 1 rule files found"), check.output());

    Files.writeString(config, text.replace(TOKEN_IN_CONTAINER, dir.resolve("absent").toString()));
    assertEquals(1, promtool("check", "config", config.toString()).code(), "promtool checks the token file");
  }

  private Path copyDeploy() throws IOException {
    Path copy = dir.resolve("prometheus");
    try (Stream<Path> files = Files.walk(DEPLOY)) {
      for (Path file : files.toList()) {
        Path target = copy.resolve(DEPLOY.relativize(file).toString());
        if (Files.isDirectory(file)) {
          Files.createDirectories(target);
        } else {
          Files.copy(file, target);
        }
      }
    }
    return copy;
  }

  record Result(int code, String output) {}

  static Result promtool(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("promtool"));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    return new Result(process.waitFor(), String.join(" ", command) + "\n" + output);
  }
}
