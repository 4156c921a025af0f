package ai.thinkheads.phoenix.certs.activities.issuer.stepca;

/**
 * The step-ca answered with an error: its JSON {@code {status, message}}, and what we asked. Callers decide
 * what it means ({@link StepCaIssuer} retries 5xx, retries 401 with a fresh token, rejects 400 and 403).
 *
 * @see StepCaClient
 */
public class StepCaResponseException extends RuntimeException {

  private final int status;
  private final String caMessage;
  private final java.time.Duration retryAfter;

  public StepCaResponseException(String what, int status, String caMessage) {
    this(what, status, caMessage, null);
  }

  /** @param retryAfter the answer's Retry-After, null when it had none */
  public StepCaResponseException(String what, int status, String caMessage, java.time.Duration retryAfter) {
    super(what + ": HTTP " + status + ": " + caMessage);
    this.status = status;
    this.caMessage = caMessage;
    this.retryAfter = retryAfter;
  }

  /** The CA asks us to slow down (429 Too Many Requests, 503 Service Unavailable). */
  public boolean busy() {
    return status == 429 || status == 503;
  }

  /** The answer's Retry-After; null when it sent none. */
  public java.time.Duration retryAfter() {
    return retryAfter;
  }

  public int status() {
    return status;
  }

  /** The CA's own words, for the operator. */
  public String caMessage() {
    return caMessage;
  }

  /** A server-side failure or overload: the same request may succeed later. */
  public boolean retryable() {
    return status >= 500 || status == 429;
  }
}
