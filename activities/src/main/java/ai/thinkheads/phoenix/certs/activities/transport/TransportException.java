package ai.thinkheads.phoenix.certs.activities.transport;

/**
 * An operation on a target failed. {@code retryable} says whether trying again may help (an unreachable host,
 * a timeout) or not (authentication refused, a changed host key).
 */
public class TransportException extends RuntimeException {

  private final boolean retryable;

  public TransportException(String message, boolean retryable, Throwable cause) {
    super(message, cause);
    this.retryable = retryable;
  }

  public TransportException(String message, boolean retryable) {
    this(message, retryable, null);
  }

  public boolean retryable() {
    return retryable;
  }
}
