package ai.thinkheads.phoenix.certs.workflows.audit;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/**
 * The audit's steps. Each reads; none changes a guest. Tasks are names ({@code guest:<id>}, {@code source:<n>})
 * the worker resolves in its own inventory; anything else is refused.
 */
@ActivityInterface
public interface AuditActivities {

  /** What to audit, from the worker's inventory, and the previous audit's findings. */
  @ActivityMethod(name = "auditPlan")
  AuditPlan plan();

  /** The facts of one task: a guest through its transport, or one source run from the worker. */
  @ActivityMethod(name = "auditGather")
  AuditFacts gather(String task);

  /** Keeps the report as the latest (for {@code /audit} and the next audit's diff); returns where. */
  @ActivityMethod(name = "auditPublish")
  String publish(AuditReport report);

  /**
   * Starts (or joins) the onboarding of a listed guest whose trust store the audit found without the pinned root
   * ({@code guest/<vmid or name>}); returns its workflow id. The guest is looked up by its id in the inventory.
   */
  @ActivityMethod(name = "auditOnboard")
  String onboard(String guestId);
}
