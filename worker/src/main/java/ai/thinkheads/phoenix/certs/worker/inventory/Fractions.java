package ai.thinkheads.phoenix.certs.worker.inventory;

import java.util.Optional;

/** The renewal point as a share of the lifetime: "2/3", "0.75" or "75%", strictly between 0 and 1. */
final class Fractions {

  private Fractions() {}

  static Optional<Double> parse(String text) {
    if (text == null) {
      return Optional.empty();
    }
    String t = text.trim();
    try {
      double value;
      if (t.endsWith("%")) {
        value = Double.parseDouble(t.substring(0, t.length() - 1).trim()) / 100.0;
      } else if (t.contains("/")) {
        String[] parts = t.split("/", 2);
        value = Double.parseDouble(parts[0].trim()) / Double.parseDouble(parts[1].trim());
      } else {
        value = Double.parseDouble(t);
      }
      return value > 0 && value < 1 ? Optional.of(value) : Optional.empty();
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }
}
