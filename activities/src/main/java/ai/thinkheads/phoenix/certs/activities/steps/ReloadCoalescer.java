package ai.thinkheads.phoenix.certs.activities.steps;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * One reload for many certificates: requests for the same reload on the same guest that arrive within a short
 * window share one run. A request that arrives after a run has started waits for the next one, because its
 * files may have changed after that run began.
 *
 * <p>Certificates renewed together do not all reach their reload within one window (issuing, swapping and
 * validating take their turns). So a certificate whose new pair is in place says it will ask ({@link #expect}),
 * and a batch waits, past its window, until every certificate expected for it has asked, for at most
 * {@code maxWait}. Per worker process; with several workers a reload may run once per worker, which is only
 * redundant, never wrong.
 */
public final class ReloadCoalescer {

  /** An expectation older than this belongs to a renewal that went elsewhere (its worker died): ignore it. */
  static final long STALE_NANOS = Duration.ofMinutes(2).toNanos();
  static final long POLL_MILLIS = 50;

  private final Duration window;
  private final Duration maxWait;
  private final Map<String, Batch> pending = new ConcurrentHashMap<>();
  /** key -> certificate name -> when its pair went in (System.nanoTime). */
  private final Map<String, Map<String, Long>> expected = new ConcurrentHashMap<>();

  public ReloadCoalescer(Duration window, Duration maxWait) {
    this.window = window;
    this.maxWait = maxWait;
  }

  /** {@code name}'s new pair is in place on the guest of {@code key}: it will ask for that reload shortly. */
  public void expect(String key, String name) {
    expected.computeIfAbsent(key, k -> new ConcurrentHashMap<>()).put(name, System.nanoTime());
  }

  /** Runs {@code reload} for {@code key} (guest + reload step) on behalf of {@code name}, or joins its batch. */
  public String reload(String key, String name, Supplier<String> reload) {
    Batch mine;
    synchronized (pending) {
      mine = pending.compute(key, (k, batch) -> batch == null || batch.started ? new Batch() : batch);
      mine.names.add(name);
    }
    if (mine.leader.compareAndSet(false, true)) {
      sleep(window.toMillis()); // gather the others renewed at the same moment
      long deadline = System.nanoTime() + maxWait.toNanos();
      while (System.nanoTime() < deadline && awaited(key, mine)) {
        sleep(POLL_MILLIS);
      }
      synchronized (pending) {
        mine.started = true;
        pending.remove(key, mine);
        Map<String, Long> names = expected.get(key);
        if (names != null) {
          names.keySet().removeAll(mine.names);
        }
      }
      try {
        mine.result.complete(reload.get());
      } catch (RuntimeException e) {
        mine.result.completeExceptionally(e);
      }
    }
    try {
      return mine.result.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the reload of " + key, e);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
    }
  }

  /** True while a certificate expected for {@code key} has not joined {@code batch} yet. */
  private boolean awaited(String key, Batch batch) {
    Map<String, Long> names = expected.get(key);
    if (names == null) {
      return false;
    }
    long now = System.nanoTime();
    names.values().removeIf(since -> now - since > STALE_NANOS);
    synchronized (pending) {
      return !batch.names.containsAll(names.keySet());
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static final class Batch {
    final AtomicBoolean leader = new AtomicBoolean();
    final CompletableFuture<String> result = new CompletableFuture<>();
    final Set<String> names = ConcurrentHashMap.newKeySet();
    volatile boolean started;
  }
}
