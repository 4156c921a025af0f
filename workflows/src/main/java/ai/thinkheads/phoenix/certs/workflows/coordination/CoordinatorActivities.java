package ai.thinkheads.phoenix.certs.workflows.coordination;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** What a certificate workflow asks of the worker about its guest's coordinator. */
@ActivityInterface
public interface CoordinatorActivities {

  /**
   * Starts the coordinator of certificate {@code name}'s guest ({@code pairs/<guest>}, as the worker's inventory
   * places it) unless it runs. Only {@code cert/<name>} may ask.
   */
  @ActivityMethod
  void ensureCoordinator(String name);
}
