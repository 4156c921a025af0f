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
    } catch (SignalExternalWorkflowException notRunning) {
      return false;
    } catch (ApplicationFailure failure) {
      if (NOT_FOUND.equals(failure.getType())) {
        return false;
      }
      throw failure;
    }
  }
}
