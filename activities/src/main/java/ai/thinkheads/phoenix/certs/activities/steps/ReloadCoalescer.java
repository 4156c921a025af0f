package ai.thinkheads.phoenix.certs.activities.steps;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;

/**
 * One reload for many certificates: requests for the same reload on the same guest that arrive within a short
 * window share one run. A request that arrives after a run has started waits for the next one, because its
 * files may have changed after that run began. Per worker process; with several workers a reload may run once
 * per worker, which is only redundant, never wrong.
 */
public final class ReloadCoalescer {

  private final Duration window;
  private final Map<String, Batch> pending = new ConcurrentHashMap<>();

  public ReloadCoalescer(Duration window) {
    this.window = window;
  }

  /** Runs {@code reload} for {@code key} (guest + argv), or joins the batch about to run it. */
  public String reload(String key, Supplier<String> reload) {
    Batch mine = pending.compute(key, (k, batch) -> batch == null || batch.started ? new Batch() : batch);
    if (mine.leader.compareAndSet(false, true)) {
      try {
        Thread.sleep(window.toMillis()); // gather the others renewed at the same moment
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      pending.compute(key, (k, batch) -> {
        mine.started = true;
        return batch == mine ? null : batch;
      });
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

  private static final class Batch {
    final java.util.concurrent.atomic.AtomicBoolean leader = new java.util.concurrent.atomic.AtomicBoolean();
    final CompletableFuture<String> result = new CompletableFuture<>();
    volatile boolean started;
  }
}
