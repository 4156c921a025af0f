package ai.thinkheads.phoenix.certs.workflows.rotation;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Duration;

/**
 * What starts a CA rotation: which of the inventory's CAs to move to, and how (names and numbers only: no URL,
 * fingerprint or path; the worker takes those from its own inventory).
 *
 * @param grace how long the old root stays trusted after every certificate is on the new CA (default 7 days)
 * @param retireNow retire as soon as every certificate is verified on the new CA, without the grace period
 * @param concurrency how many guests are onboarded, and how many certificates re-issued, at once (default 4)
 * @param guestWait how long the overlap waits for every guest before re-issuing goes ahead without the ones not
 *     done (they are retried at this interval, at most every minute, and hold up only retiring; default 2 min)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RotationRequest(RotationTarget to, String reason, Duration grace, boolean retireNow,
    Integer concurrency, Duration guestWait) {

  public static final Duration DEFAULT_GRACE = Duration.ofDays(7);
  public static final int DEFAULT_CONCURRENCY = 4;
  public static final Duration DEFAULT_GUEST_WAIT = Duration.ofMinutes(2);
  private static final Duration GUEST_RETRY_MAX = Duration.ofMinutes(1);

  public RotationRequest(RotationTarget to, String reason, Duration grace, boolean retireNow, Integer concurrency) {
    this(to, reason, grace, retireNow, concurrency, null);
  }

  public RotationRequest {
    to = to == null ? RotationTarget.NEXT : to;
    grace = grace == null || grace.isNegative() ? DEFAULT_GRACE : grace;
    concurrency = concurrency == null || concurrency < 1 ? DEFAULT_CONCURRENCY : Math.min(concurrency, 64);
    guestWait = guestWait == null || guestWait.isNegative() || guestWait.isZero() ? DEFAULT_GUEST_WAIT : guestWait;
  }

  /** How often a guest that is not done is tried again. */
  public Duration guestRetry() {
    return guestWait.compareTo(GUEST_RETRY_MAX) < 0 ? guestWait : GUEST_RETRY_MAX;
  }
}
