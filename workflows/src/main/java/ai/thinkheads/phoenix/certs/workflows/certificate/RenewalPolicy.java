package ai.thinkheads.phoenix.certs.workflows.certificate;

import ai.thinkheads.phoenix.certs.workflows.failure.FailureType;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** When a certificate must be (re)issued and when to look again. Pure functions: safe in workflow code. */
public final class RenewalPolicy {

  static final Duration MIN_RETRY = Duration.ofSeconds(10);
  static final Duration MAX_RETRY = Duration.ofHours(1);

  private RenewalPolicy() {}

  /** Why the target's certificate must be replaced now, or empty when it is fine as it is. */
  public static Optional<String> reasonToIssue(
      CertificatePolicy spec, TargetState state, Instant now, boolean requested) {
    if (requested) {
      return Optional.of("renewal requested");
    }
    if (!state.usable()) {
      return Optional.of(state.problem() != null ? state.problem() : "no certificate on the target");
    }
    Set<String> held = normalized(state.sans());
    Set<String> wanted = normalized(spec.sans());
    if (!held.equals(wanted)) {
      return Optional.of("SANs differ: target has " + held + ", inventory wants " + wanted);
    }
    if (state.key() != spec.key()) {
      return Optional.of("key is " + (state.key() == null ? "unknown" : state.key().id()) + ", inventory wants "
          + spec.key().id());
    }
    Instant point = renewalPoint(spec, state.notBefore(), state.notAfter());
    if (!now.isBefore(point)) {
      return Optional.of("past its renewal point " + point);
    }
    return Optional.empty();
  }

  /** {@code renewBefore} ahead of expiry when set, else {@code renewAt} of the lifetime (2/3 by default). */
  public static Instant renewalPoint(CertificatePolicy spec, Instant notBefore, Instant notAfter) {
    if (spec.renewBefore() != null) {
      Instant point = notAfter.minus(spec.renewBefore());
      return point.isBefore(notBefore) ? notBefore : point;
    }
    long lifetimeMillis = Duration.between(notBefore, notAfter).toMillis();
    return notBefore.plusMillis((long) (lifetimeMillis * spec.renewAt()));
  }

  /**
   * When to look again after issuing at {@code now}: the renewal point, unless the CA's backdating or capping
   * already put it behind us; then half of what remains, so a short-lived certificate never renews in a loop.
   */
  public static Instant nextAfterIssue(CertificatePolicy spec, Instant notBefore, Instant notAfter, Instant now) {
    Instant point = renewalPoint(spec, notBefore, notAfter);
    if (point.isAfter(now)) {
      return point;
    }
    Duration half = notAfter.isAfter(now) ? Duration.between(now, notAfter).dividedBy(2) : Duration.ZERO;
    return now.plus(max(half, Duration.ofSeconds(1)));
  }

  /**
   * The renewal point moved later by up to a tenth of what remains of the lifetime after it, by an amount fixed by
   * the certificate's name and notAfter: certificates issued together (a big inventory's first start, a rotation,
   * the end of a CA outage) fall due spread out, and since each cycle draws again they never fall back into
   * lockstep. Later, never earlier, so {@link #reasonToIssue} agrees that the spread point is past the renewal
   * point; a tenth of the margin leaves nine tenths of it. Deterministic (String.hashCode is specified).
   */
  public static Instant spread(String name, Instant point, Instant notAfter) {
    if (notAfter == null || !notAfter.isAfter(point)) {
      return point;
    }
    long window = Duration.between(point, notAfter).toMillis() / 10;
    int hash = (name + "/" + notAfter.toEpochMilli()).hashCode();
    double fraction = (hash & 0x7fffffff) / (double) (1L << 31);
    return point.plusMillis((long) (window * fraction));
  }

  /**
   * How long to wait after a failed attempt: doubling from 10 s, capped by a tenth of the remaining lifetime
   * (minutes when hours remain) and by an hour, and never so long that the certificate expires unseen.
   */
  public static Duration retryDelay(Instant now, Instant notAfter, int consecutiveFailures) {
    int exponent = Math.min(Math.max(consecutiveFailures - 1, 0), 20);
    return min(MIN_RETRY.multipliedBy(1L << exponent), maxRetryDelay(now, notAfter));
  }

  /**
   * The longest wait between attempts: an hour, a tenth of the remaining lifetime when that is shorter, five
   * minutes once the certificate has expired. A failure that needs a change waits this long at once.
   */
  public static Duration maxRetryDelay(Instant now, Instant notAfter) {
    if (notAfter != null && notAfter.isAfter(now)) {
      return min(MAX_RETRY, max(MIN_RETRY, Duration.between(now, notAfter).dividedBy(10)));
    }
    return Duration.ofMinutes(5);
  }

  /** The wait after a failure of type {@code failure}, the {@code consecutiveFailures}-th in a row. */
  public static Duration backoff(FailureType failure, Instant now, Instant notAfter, int consecutiveFailures) {
    return failure.needsChange() ? maxRetryDelay(now, notAfter)
        : retryDelay(now, notAfter, consecutiveFailures);
  }

  private static Set<String> normalized(Iterable<String> names) {
    Set<String> out = new TreeSet<>();
    names.forEach(n -> out.add(n.toLowerCase(Locale.ROOT)));
    return out;
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }
}
