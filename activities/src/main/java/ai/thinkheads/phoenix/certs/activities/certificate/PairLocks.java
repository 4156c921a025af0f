package ai.thinkheads.phoenix.certs.activities.certificate;

import ai.thinkheads.phoenix.certs.activities.transport.TransportException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * One nginx serves many certificates of its guest, and `nginx -t` or a restart reads every pair it names. While
 * one certificate's key is renamed into place and its certificate not yet, any such read sees a mismatched pair
 * and fails. So per guest: swapping a pair (activate, rollback) is exclusive, and steps that make a service read
 * its pairs (validate, reload) share. Per worker process, like {@code ReloadCoalescer}.
 */
final class PairLocks {

  /** Waiting longer than this means something is stuck: fail the step (it is retried) rather than hang. */
  static final Duration MAX_WAIT = Duration.ofMinutes(5);

  private final Map<String, ReentrantReadWriteLock> byGuest = new ConcurrentHashMap<>();

  /** Runs {@code work} while no service of {@code guestId} is being made to read its pairs. */
  <T> T swapping(String guestId, Supplier<T> work) {
    return holding(lock(guestId).writeLock(), guestId, work);
  }

  /** Runs {@code work} while no pair of {@code guestId} is half swapped. */
  <T> T reading(String guestId, Supplier<T> work) {
    return holding(lock(guestId).readLock(), guestId, work);
  }

  private ReentrantReadWriteLock lock(String guestId) {
    // fair: a swap waiting behind a stream of validations still gets its turn
    return byGuest.computeIfAbsent(guestId, id -> new ReentrantReadWriteLock(true));
  }

  private static <T> T holding(Lock lock, String guestId, Supplier<T> work) {
    try {
      if (!lock.tryLock(MAX_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new TransportException("waited " + MAX_WAIT.toMinutes() + " min for the other certificates of "
            + guestId + " to finish swapping or reloading", true);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TransportException("interrupted waiting for the pairs of " + guestId, true, e);
    }
    try {
      return work.get();
    } finally {
      lock.unlock();
    }
  }
}
