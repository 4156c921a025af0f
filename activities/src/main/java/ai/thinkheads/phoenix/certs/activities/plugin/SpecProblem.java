package ai.thinkheads.phoenix.certs.activities.plugin;

/**
 * One thing wrong with a plugin's settings: the {@code field} it is about ("unit", "argv", or an unknown option's
 * name) and why, worded to read after "field: ". The inventory reader reports it at that field's line.
 */
public record SpecProblem(String field, String reason) {

  @Override
  public String toString() {
    return field + ": " + reason;
  }
}
