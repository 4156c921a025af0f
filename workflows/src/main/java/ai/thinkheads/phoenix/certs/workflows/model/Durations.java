package ai.thinkheads.phoenix.certs.workflows.model;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as operators write them, in the inventory, in step options and on the command line: "500ms", "90s",
 * "5m", "24h", "90d", "1h30m", or ISO-8601 "PT5M". The one parser for all of them.
 */
public final class Durations {

  private static final Pattern PART = Pattern.compile("(\\d+)(ms|s|m|h|d)");
  private static final Pattern WHOLE = Pattern.compile("((\\d+)(ms|s|m|h|d))+");

  private Durations() {}

  /** Empty when {@code text} is not a positive duration in one of those forms. */
  public static Optional<Duration> parse(String text) {
    if (text == null) {
      return Optional.empty();
    }
    String trimmed = text.trim();
    if (trimmed.startsWith("P") || trimmed.startsWith("p")) {
      try {
        return positive(Duration.parse(trimmed));
      } catch (DateTimeParseException e) {
        return Optional.empty();
      }
    }
    if (!WHOLE.matcher(trimmed).matches()) {
      return Optional.empty();
    }
    Duration total = Duration.ZERO;
    Matcher part = PART.matcher(trimmed);
    while (part.find()) {
      long amount = Long.parseLong(part.group(1));
      total = total.plus(switch (part.group(2)) {
        case "ms" -> Duration.ofMillis(amount);
        case "s" -> Duration.ofSeconds(amount);
        case "m" -> Duration.ofMinutes(amount);
        case "h" -> Duration.ofHours(amount);
        default -> Duration.ofDays(amount);
      });
    }
    return positive(total);
  }

  /** Like {@link #parse}, for a value that must be valid: the message names what was wrong. */
  public static Duration require(String text, String what) {
    return parse(text).orElseThrow(() -> new IllegalArgumentException(what + ": '" + text
        + "' is not a duration (e.g. 500ms, 90s, 5m, 24h, 90d, 1h30m)"));
  }

  private static Optional<Duration> positive(Duration duration) {
    return duration.isNegative() || duration.isZero() ? Optional.empty() : Optional.of(duration);
  }
}
