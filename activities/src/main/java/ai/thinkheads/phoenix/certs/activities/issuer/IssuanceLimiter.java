package ai.thinkheads.phoenix.certs.activities.issuer;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bounds what one worker asks of one CA: at most {@code concurrency} requests at once, at most {@code rate} per
 * second (spaced evenly, no bursts), and, when the CA answers that it is busy ({@link IssuerBusyException}: 429,
 * 503, ACME rateLimited), a pause for everyone until its Retry-After, then half the rate, recovering a twentieth
 * per success. A request that waits is not a failure: it runs when its turn comes, and only one that has waited
 * {@link #MAX_WAIT} in all (the step's deadline is 2 min) leaves as the CA's busy answer, for Temporal to retry.
 * Thread-safe; one per issuer, so a new CA (an inventory edit) starts with the configured figures.
 */
public final class IssuanceLimiter {

  private static final Logger log = LoggerFactory.getLogger(IssuanceLimiter.class);

  /** The longest a request waits for its turn, pauses included, before it gives up (and Temporal retries). */
  static final Duration MAX_WAIT = Duration.ofSeconds(90);
  /** The pause when a busy CA sent no Retry-After; the longest pause we take from one is {@link #MAX_PAUSE}. */
  static final Duration DEFAULT_PAUSE = Duration.ofSeconds(1);
  static final Duration MAX_PAUSE = Duration.ofSeconds(60);

  private final double configuredRate;
  private final int concurrency;
  private final Semaphore slots;
  private final Object lock = new Object();
  private double rate;
  /** When the next request may start (System.nanoTime), for the rate and after a busy answer. */
  private long nextStart = System.nanoTime();
  private long busyAnswers;
  /** Requests that went to the CA, retries after a busy answer included. */
  private long sent;
  /** Until when a busy answer holds every request back (System.nanoTime). */
  private long pausedUntil = System.nanoTime();

  /** Requests per second and at once when nothing is configured: a step-ca signs far faster than this. */
  public static final double DEFAULT_RATE = 50;
  public static final int DEFAULT_CONCURRENCY = 16;

  /**
   * The limits this worker's environment sets: PHOENIX_CA_RATE (requests per second, e.g. 50 or 0.5) and
   * PHOENIX_CA_CONCURRENCY; the defaults otherwise. A value that is not a positive number is an error naming it.
   */
  public static IssuanceLimiter fromEnvironment() {
    return new IssuanceLimiter(number("PHOENIX_CA_RATE", DEFAULT_RATE),
        (int) number("PHOENIX_CA_CONCURRENCY", DEFAULT_CONCURRENCY));
  }

  private static double number(String variable, double fallback) {
    String text = System.getenv(variable);
    if (text == null || text.isBlank()) {
      return fallback;
    }
    try {
      double value = Double.parseDouble(text.strip());
      if (value > 0 && !Double.isInfinite(value)) {
        return value;
      }
    } catch (NumberFormatException notANumber) {
      // reported below
    }
    throw new IllegalArgumentException(variable + "=" + text + " is not a positive number");
  }

  /** @param rate requests per second, positive; @param concurrency requests at once, at least 1 */
  public IssuanceLimiter(double rate, int concurrency) {
    if (!(rate > 0) || concurrency < 1) {
      throw new IllegalArgumentException("rate must be above 0 and concurrency at least 1, got " + rate + " and "
          + concurrency);
    }
    this.configuredRate = rate;
    this.rate = rate;
    this.concurrency = concurrency;
    this.slots = new Semaphore(concurrency, true);
  }

  /** Runs {@code request} in its turn; a busy answer pauses everyone and asks again. */
  public <T> T call(String what, Supplier<T> request) {
    long deadline = System.nanoTime() + MAX_WAIT.toNanos();
    while (true) {
      acquire(what, deadline);
      try {
        waitForTurn(deadline);
        T answer = request.get();
        succeeded();
        return answer;
      } catch (IssuerBusyException busy) {
        if (!slowDown(what, busy, deadline)) {
          throw busy;
        }
      } finally {
        slots.release();
      }
    }
  }

  /** The rate in force now (requests per second): the configured one, or less after busy answers. */
  public double rate() {
    synchronized (lock) {
      return rate;
    }
  }

  public int concurrency() {
    return concurrency;
  }

  /** How many busy answers the CA gave. */
  public long busyAnswers() {
    synchronized (lock) {
      return busyAnswers;
    }
  }

  /** How many requests went to the CA so far (a benchmark samples it to check the rate held). */
  public long sent() {
    synchronized (lock) {
      return sent;
    }
  }

  private void acquire(String what, long deadline) {
    try {
      if (!slots.tryAcquire(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
        throw new IssuerUnavailableException(what + ": waited " + MAX_WAIT.toSeconds() + " s for one of "
            + concurrency + " requests to the CA at once; it will be retried", null);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IssuerUnavailableException(what + ": interrupted while waiting for the CA", e);
    }
  }

  /**
   * Takes the next start time (each request one interval after the one before) and sleeps until it; a busy answer
   * that came meanwhile sends it back for a turn after the pause (CI caught one sent 20 ms after a Retry-After).
   */
  private void waitForTurn(long deadline) {
    while (true) {
      long start;
      synchronized (lock) {
        long now = System.nanoTime();
        start = Math.max(now, nextStart);
        nextStart = start + (long) (1e9 / rate);
      }
      sleepUntil(Math.min(start, deadline));
      synchronized (lock) {
        long now = System.nanoTime();
        if (pausedUntil - now <= 0 || now - deadline >= 0) {
          sent++;
          return;
        }
      }
    }
  }

  private void succeeded() {
    synchronized (lock) {
      rate = Math.min(configuredRate, rate + configuredRate / 20);
    }
  }

  /**
   * Pauses every request until the CA's Retry-After (at most {@link #MAX_PAUSE} for the others) and halves the
   * rate; false when this request's own wait would pass its deadline: then it leaves at once.
   */
  private boolean slowDown(String what, IssuerBusyException busy, long deadline) {
    Duration asked = busy.retryAfter() == null || busy.retryAfter().isNegative() ? DEFAULT_PAUSE
        : busy.retryAfter();
    Duration pause = asked.compareTo(MAX_PAUSE) > 0 ? MAX_PAUSE : asked;
    long now = System.nanoTime();
    synchronized (lock) {
      busyAnswers++;
      rate = Math.max(configuredRate / 64, rate / 2);
      nextStart = Math.max(nextStart, now + pause.toNanos());
      pausedUntil = Math.max(pausedUntil, now + pause.toNanos());
    }
    log.warn("{}: the CA is busy ({}); every request to it waits {} ms, then {} per second", what,
        busy.getMessage(), pause.toMillis(), String.format("%.2f", rate()));
    return now + asked.toNanos() < deadline;
  }

  private static void sleepUntil(long nanoTime) {
    long left = nanoTime - System.nanoTime();
    if (left <= 0) {
      return;
    }
    try {
      TimeUnit.NANOSECONDS.sleep(left);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IssuerUnavailableException("interrupted while waiting for the CA", e);
    }
  }
}
