package ai.thinkheads.phoenix.certs.activities.issuer.stepca;

/**
 * The step-ca could not be reached or failed inside (connection refused, timeout, HTTP 5xx). A plain
 * RuntimeException on purpose: Temporal retries the activity with backoff, which is what helps here.
 */
public class StepCaUnavailableException extends RuntimeException {

  public StepCaUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
