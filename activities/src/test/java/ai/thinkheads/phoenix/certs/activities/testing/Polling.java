package ai.thinkheads.phoenix.certs.activities.testing;

import java.time.Duration;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** Waiting, in tests, for something that runs on its own (a workflow, a worker) to get somewhere. */
public final class Polling {

  private Polling() {}

  /**
   * Asks {@code probe} every {@code every} until its answer passes {@code done}, and returns that answer. A probe
   * that throws a RuntimeException (a workflow not started yet, a query between two runs) or answers null counts
   * as no answer yet; an AssertionError it throws ends the wait at once.
   */
  public static <T> T await(Supplier<T> probe, Predicate<T> done, Duration limit, Duration every)
      throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    T last = null;
    while (System.nanoTime() < deadline) {
      try {
        last = probe.get();
      } catch (RuntimeException notYet) {
        last = null;
      }
      if (last != null && done.test(last)) {
        return last;
      }
      Thread.sleep(every.toMillis());
    }
    throw new AssertionError("not reached in " + limit.toSeconds() + " s; last answer " + last);
  }
}
