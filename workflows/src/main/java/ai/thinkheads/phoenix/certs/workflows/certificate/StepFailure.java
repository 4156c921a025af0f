package ai.thinkheads.phoenix.certs.workflows.certificate;

import ai.thinkheads.phoenix.certs.workflows.failure.FailureType;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.TemporalFailure;

/**
 * A step of a renewal that failed, in workflow code: an activity's failure, or one of the coordination around it
 * (a lease not granted, a shared reload that failed). One shape, so the cycle handles them all the same way.
 */
final class StepFailure extends RuntimeException {

  private final FailureType type;

  StepFailure(FailureType type, String message) {
    super(message);
    this.type = type;
  }

  static StepFailure of(ActivityFailure failure) {
    Throwable cause = failure.getCause();
    String step = failure.getActivityType();
    String message = cause instanceof ApplicationFailure app ? app.getOriginalMessage()
        : cause instanceof TemporalFailure temporal ? temporal.getOriginalMessage() : failure.getMessage();
    return new StepFailure(FailureType.of(cause), step + ": " + message);
  }

  FailureType type() {
    return type;
  }
}
