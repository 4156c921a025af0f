package ai.thinkheads.phoenix.certs.activities.audit;

import ai.thinkheads.phoenix.certs.activities.transport.ExecResult;
import ai.thinkheads.phoenix.certs.activities.transport.Transport;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/** Lists certificate-looking files under a directory of a guest, through its transport (never a shell). */
final class GuestFiles {

  static final Duration TIMEOUT = Duration.ofSeconds(30);

  private GuestFiles() {}

  /** Files named *.crt, *.pem, *.cer or *.json under {@code dir} (3 levels), sorted; empty when it does not exist. */
  static List<String> under(Transport transport, String dir) {
    ExecResult result = transport.exec(List.of("find", dir, "-maxdepth", "3", "-type", "f", "(", "-name", "*.crt",
        "-o", "-name", "*.pem", "-o", "-name", "*.cer", ")"), TIMEOUT);
    if (!result.succeeded() && result.stdout().isBlank()) {
      return List.of();
    }
    return Arrays.stream(result.stdout().split("\n")).map(String::strip).filter(s -> s.startsWith("/")).sorted()
        .toList();
  }
}
