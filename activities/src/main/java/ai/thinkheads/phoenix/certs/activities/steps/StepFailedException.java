package ai.thinkheads.phoenix.certs.activities.steps;

/**
 * A step ran and said no (a config check failed, a reload command exited non-zero, the wrong certificate is
 * served). Retrying the same call will not change that, so the workflow rolls back instead.
 *
 * @param kind failure type recorded in history ("ValidationFailed", "CommandFailed", "VerificationFailed")
 */
public class StepFailedException extends RuntimeException {

  private final String kind;

  public StepFailedException(String kind, String message) {
    super(message);
    this.kind = kind;
  }

  public String kind() {
    return kind;
  }
}
