package ai.thinkheads.phoenix.certs.worker.rotation;

import ai.thinkheads.phoenix.certs.workflows.rotation.RotationProgress;
import ai.thinkheads.phoenix.certs.workflows.rotation.RotationWorkflow;
import io.temporal.client.WorkflowClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where this worker learns how far the CA rotation is: the {@code progress} query of {@code ca/rotation}, asked
 * at most every {@value #CACHE_MILLIS} ms (the workflow waits longer than that after each phase change before it
 * acts on it, so every worker has seen the change by then). The rotation's state lives in Temporal, so every
 * worker sharing the task queue reads the same. No rotation (never started, or gone from the server): empty.
 */
public final class RotationWatch implements Supplier<Optional<RotationProgress>> {

  static final long CACHE_MILLIS = 2_000;
  private static final Logger log = LoggerFactory.getLogger(RotationWatch.class);

  private final Supplier<Optional<RotationProgress>> source;
  private final Clock clock;
  private Optional<RotationProgress> cached = Optional.empty();
  private Instant readAt = Instant.EPOCH;
  private boolean read;

  public RotationWatch(Supplier<Optional<RotationProgress>> source, Clock clock) {
    this.source = source;
    this.clock = clock;
  }

  /** Asks {@code ca/rotation} on {@code client}. */
  public static RotationWatch of(WorkflowClient client) {
    return new RotationWatch(() -> query(client), Clock.systemUTC());
  }

  static Optional<RotationProgress> query(WorkflowClient client) {
    try {
      return Optional.ofNullable(client.newWorkflowStub(RotationWorkflow.class, RotationWorkflow.WORKFLOW_ID)
          .progress());
    } catch (io.temporal.client.WorkflowNotFoundException absent) {
      return Optional.empty();
    } catch (RuntimeException e) {
      if (String.valueOf(e.getMessage()).contains("not found") || e.getCause() != null
          && String.valueOf(e.getCause().getMessage()).contains("not found")) {
        return Optional.empty();
      }
      throw e;
    }
  }

  @Override
  public synchronized Optional<RotationProgress> get() {
    Instant now = clock.instant();
    if (Duration.between(readAt, now).toMillis() >= CACHE_MILLIS) {
      try {
        cached = source.get();
        read = true;
      } catch (RuntimeException e) {
        if (!read) {
          // nothing read yet (a worker just started, as after a crash mid-rotation): "no rotation" would be a
          // guess, and it would have the old CA issue during re-issue. The step fails and is retried instead.
          throw new IllegalStateException("the CA rotation's phase could not be read yet: " + e, e);
        }
        // an unanswered query keeps the last state: a worker never guesses a phase it did not read
        log.warn("cannot read the CA rotation's progress ({}); keeping the last known phase", e.toString());
      }
      readAt = now;
    }
    return cached;
  }
}
