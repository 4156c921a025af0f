package ai.thinkheads.phoenix.certs.activities.steps;

import ai.thinkheads.phoenix.certs.workflows.failure.FailureType;

/**
 * A step ran and said no (a config check failed, a reload command exited non-zero, the wrong certificate is
 * served), or cannot run as configured. The type says which, from the one vocabulary the workflows decide on.
 */
public class StepFailedException extends RuntimeException {

  private final FailureType type;

  public StepFailedException(FailureType type, String message) {
    super(message);
    this.type = type;
  }

  public FailureType type() {
    return type;
  }
}
