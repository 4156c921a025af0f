package ai.thinkheads.phoenix.certs.workflows.certificate;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;
import java.time.Duration;

/**
 * Keeps certificates that come {@code after} others in the inventory's order. Runs in the worker, which can ask
 * Temporal about the other certificates' workflows, and reads the order from its own inventory.
 */
@ActivityInterface
public interface OrderingActivities {

  /** How long a certificate waits for the ones it comes after before it goes ahead without them. */
  Duration MAX_WAIT = Duration.ofMinutes(10);

  /**
   * Returns once none of the certificates {@code name} comes after (in the worker's inventory) is renewing or
   * about to (renewal requested, or due within a minute), heartbeating while it waits. Never blocks for good: a
   * certificate whose workflow is absent or not running is skipped, and after {@link #MAX_WAIT} it goes ahead;
   * the result's note says so.
   */
  @ActivityMethod
  OrderingResult awaitPredecessors(String name);
}
