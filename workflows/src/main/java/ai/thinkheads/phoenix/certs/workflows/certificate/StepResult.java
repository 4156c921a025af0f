package ai.thinkheads.phoenix.certs.workflows.certificate;

/** The outcome of a step that ran something on a target: which step, and what it said (trimmed). */
public record StepResult(String step, boolean skipped, String output) {

  public static StepResult skipped(String step) {
    return new StepResult(step, true, "");
  }
}
