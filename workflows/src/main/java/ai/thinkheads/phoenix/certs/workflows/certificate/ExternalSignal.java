package ai.thinkheads.phoenix.certs.workflows.certificate;

import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.SignalExternalWorkflowException;

/** A signal to another workflow, which may not be running. Workflow code. */
final class ExternalSignal {

  /** How the SDK reports a signal to a workflow that is not running: an ApplicationFailure of the event's cause. */
  private static final String NOT_FOUND =
      "SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_FAILED_CAUSE_EXTERNAL_WORKFLOW_EXECUTION_NOT_FOUND";

  private ExternalSignal() {}

  /** Sends {@code signal}; false when its workflow is not running. Any other failure is thrown. */
  static boolean delivered(Runnable signal) {
    try {
      signal.run();
      return true;
    } catch (RuntimeException failure) {
      if (notRunning(failure)) {
        return false;
      }
      throw failure;
    }
  }

  /** Whether a signal failed because its workflow is not running. */
  static boolean notRunning(Throwable failure) {
    return failure instanceof SignalExternalWorkflowException
        || failure instanceof ApplicationFailure app && NOT_FOUND.equals(app.getType());
  }
}
