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
  /** A phase read longer ago than this is not acted on (the rotation waits 5 s after each change). */
  static final long STALE_MILLIS = 4_000;
  private static final Logger log = LoggerFactory.getLogger(RotationWatch.class);

  private final Supplier<Optional<RotationProgress>> source;
  private final Clock clock;
  private Optional<RotationProgress> cached = Optional.empty();
  /** When the last answer came; null before the first. */
  private Instant answeredAt;

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
    } catch (io.temporal.client.WorkflowServiceException e) {
      // only the server saying "no such workflow" means no rotation; a query that timed out or was rejected
      // says nothing about the phase
      if (e.getCause() instanceof io.grpc.StatusRuntimeException status
          && status.getStatus().getCode() == io.grpc.Status.Code.NOT_FOUND) {
        return Optional.empty();
      }
      throw e;
    }
  }

  @Override
  public synchronized Optional<RotationProgress> get() {
    Instant now = clock.instant();
    if (answeredAt == null || Duration.between(answeredAt, now).toMillis() >= CACHE_MILLIS) {
      try {
        Optional<RotationProgress> answer = source.get();
        if (answeredAt == null || !phaseOf(answer).equals(phaseOf(cached))) {
          log.info("CA rotation: {}", phaseOf(answer));
        }
        cached = answer;
        answeredAt = now;
      } catch (RuntimeException e) {
        if (answeredAt == null || Duration.between(answeredAt, now).toMillis() > STALE_MILLIS) {
          // Nothing read yet (a worker just started, as after a crash mid-rotation), or not for longer than the
          // rotation waits after a phase change: "no rotation" or the old phase would be a guess, and it would
          // have the old CA issue during re-issue. The step fails and is retried instead.
          throw new IllegalStateException("the CA rotation's phase could not be read" + (answeredAt == null
              ? " yet" : " since " + answeredAt) + ": " + e, e);
        }
        // the next call asks again: a kept phase only ages
        log.warn("cannot read the CA rotation's progress ({}); keeping the phase read at {}", e.toString(),
            answeredAt);
      }
    }
    return cached;
  }

  private static String phaseOf(Optional<RotationProgress> progress) {
    return progress.map(p -> p.phase() + " (CA " + p.fromCa() + " -> " + p.toCa() + ")").orElse("none");
  }
}
