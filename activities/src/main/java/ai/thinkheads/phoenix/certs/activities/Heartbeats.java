package ai.thinkheads.phoenix.certs.activities;

import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Heartbeats while a step runs, so that Temporal notices a worker that died (SIGKILL, power loss) within the
 * heartbeat timeout and hands the step to another worker, instead of waiting out the whole start-to-close time.
 */
public final class Heartbeats {

  static final long PERIOD_MILLIS = 2_000;
  private static final ScheduledExecutorService TICKER = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread thread = new Thread(r, "activity-heartbeats");
    thread.setDaemon(true);
    return thread;
  });

  private Heartbeats() {}

  public static <T> T during(Supplier<T> body) {
    ActivityExecutionContext context;
    try {
      context = Activity.getExecutionContext();
    } catch (RuntimeException notInAnActivity) {
      return body.get(); // called directly (tests, tools): nobody to report to
    }
    ScheduledFuture<?> ticking = TICKER.scheduleAtFixedRate(() -> {
      try {
        context.heartbeat(null);
      } catch (RuntimeException ignored) {
        // cancellation or a server hiccup: the step itself decides what to do
      }
    }, 0, PERIOD_MILLIS, TimeUnit.MILLISECONDS);
    try {
      return body.get();
    } finally {
      ticking.cancel(false);
    }
  }
}
