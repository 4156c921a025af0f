package ai.thinkheads.phoenix.certs.worker.cli;

import java.time.Duration;
import java.util.Locale;

/** "30s", "5m", "1h" on the command line. */
final class DurationOption {

  private DurationOption() {}

  static Duration parse(String text) {
    try {
      return Duration.parse("PT" + text.trim().toUpperCase(Locale.ROOT));
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("'" + text + "' is not a duration like 30s, 5m or 1h");
    }
  }

}
