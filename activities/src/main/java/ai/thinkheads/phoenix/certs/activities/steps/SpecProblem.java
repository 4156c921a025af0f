package ai.thinkheads.phoenix.certs.activities.steps;

/**
 * One thing wrong with a step's settings: the {@code field} it is about ("unit", "argv", or an unknown option's
 * name) and why, worded to read after "field: ".
 */
public record SpecProblem(String field, String reason) {

  @Override
  public String toString() {
    return field + ": " + reason;
  }
}
