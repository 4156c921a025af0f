package ai.thinkheads.phoenix.certs.activities.issuer;

import java.time.Duration;

/**
 * The CA asked us to slow down: HTTP 429 or 503 from step-ca, an ACME {@code rateLimited} problem. Not a failure of
 * the certificate: {@link IssuanceLimiter} pauses every issuance to this CA for {@link #retryAfter()} (or a second
 * when the CA said nothing), halves its rate, and asks again.
 */
public class IssuerBusyException extends IssuerUnavailableException {

  private final Duration retryAfter;

  /** @param retryAfter what the CA's Retry-After said; null when it said nothing */
  public IssuerBusyException(String message, Duration retryAfter, Throwable cause) {
    super(message, cause);
    this.retryAfter = retryAfter;
  }

  /** The CA's Retry-After; null when it sent none. */
  public Duration retryAfter() {
    return retryAfter;
  }
}
