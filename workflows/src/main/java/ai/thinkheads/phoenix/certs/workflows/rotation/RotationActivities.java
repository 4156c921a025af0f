package ai.thinkheads.phoenix.certs.workflows.rotation;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/**
 * The rotation's own steps; each looks everything up in the worker's inventory and refuses any caller but
 * {@code ca/rotation}. Trust stores change through each guest's onboarding ({@code guest/<ref>}), which installs
 * every root the worker says must be trusted and removes a retired one.
 */
@ActivityInterface
public interface RotationActivities {

  /** The two CAs of the rotation to {@code to}, the guests and the certificates. Touches nothing. */
  @ActivityMethod
  RotationPlan planRotation(RotationTarget to);

  /**
   * Whether certificate {@code name}'s live chain ends at the new root, and, when it has a {@code tls} verify
   * step, whether the endpoint serves that certificate on that chain. {@code retired}: also that the chain no
   * longer leads to the old root. Reads only.
   */
  @ActivityMethod
  ChainCheck checkChain(String name, boolean retired);

  /** Whether the inventory still lists this pair of CAs (a finished rotation stays until it does not). */
  @ActivityMethod
  boolean stillListed(String fromCa, String toCa);
}
