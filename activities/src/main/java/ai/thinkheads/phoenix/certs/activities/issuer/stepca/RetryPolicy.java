package ai.thinkheads.phoenix.certs.activities.issuer.stepca;

import java.time.Duration;

/**
 * How often the issuer itself tries again when the CA is unreachable or fails with 5xx, before it hands the
 * failure to Temporal (which retries the whole activity with its own, longer backoff). Short by default: the
 * point is to ride over a blip, not to hide an outage.
 *
 * @param attempts calls in all, at least 1
 * @param firstBackoff the pause after the first failure; doubles each time
 * @param maxBackoff the longest pause
 */
public record RetryPolicy(int attempts, Duration firstBackoff, Duration maxBackoff) {

  public static final RetryPolicy DEFAULT = new RetryPolicy(3, Duration.ofMillis(250), Duration.ofSeconds(2));

  public RetryPolicy {
    if (attempts < 1) {
      throw new IllegalArgumentException("attempts must be at least 1, got " + attempts);
    }
  }

  /** The pause after failed attempt {@code n} (1-based). */
  Duration backoff(int n) {
    Duration pause = firstBackoff.multipliedBy(1L << Math.min(n - 1, 16));
    return pause.compareTo(maxBackoff) > 0 ? maxBackoff : pause;
  }
}
