package ai.thinkheads.phoenix.certs.activities.issuer;

/**
 * The CA could not be reached, failed inside, or asked to wait (a rate limit). A plain RuntimeException on
 * purpose: Temporal retries the activity with backoff, which is what helps here.
 */
public class IssuerUnavailableException extends RuntimeException {

  public IssuerUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
