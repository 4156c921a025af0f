package ai.thinkheads.phoenix.certs.activities.transport;

import ai.thinkheads.phoenix.certs.workflows.failure.FailureType;

/**
 * An operation on a target failed, of a type that says whether trying again may help (an unreachable host, a
 * timeout) or not (authentication refused, a changed host key, no space left).
 */
public class TransportException extends RuntimeException {

  private final FailureType type;

  public TransportException(FailureType type, String message, Throwable cause) {
    super(message, cause);
    this.type = type;
  }

  public TransportException(String message, boolean retryable, Throwable cause) {
    this(retryable ? FailureType.TRANSPORT_FAILED : FailureType.TRANSPORT_REFUSED, message, cause);
  }

  public TransportException(String message, boolean retryable) {
    this(message, retryable, null);
  }

  public FailureType type() {
    return type;
  }

  public boolean retryable() {
    return type.retryable();
  }
}
