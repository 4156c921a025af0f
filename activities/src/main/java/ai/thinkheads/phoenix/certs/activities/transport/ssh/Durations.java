package ai.thinkheads.phoenix.certs.activities.transport.ssh;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads durations as the inventory writes them: "10s", "500ms", "2m", "1h", a bare number of seconds, "PT10S". */
final class Durations {

  private static final Pattern SIMPLE = Pattern.compile("(\\d+)\\s*(ms|s|m|h)?");

  private Durations() {}

  /** Empty when {@code text} is not a positive duration in one of those forms. */
  static Optional<Duration> parse(String text) {
    String value = text.strip();
    Matcher m = SIMPLE.matcher(value);
    Duration d;
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      String unit = m.group(2) == null ? "s" : m.group(2);
      d = switch (unit) {
        case "ms" -> Duration.ofMillis(n);
        case "m" -> Duration.ofMinutes(n);
        case "h" -> Duration.ofHours(n);
        default -> Duration.ofSeconds(n);
      };
    } else {
      try {
        d = Duration.parse(value);
      } catch (DateTimeParseException e) {
        return Optional.empty();
      }
    }
    return d.isNegative() || d.isZero() ? Optional.empty() : Optional.of(d);
  }
}
