package ai.thinkheads.phoenix.certs.workflows.reconcile;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** Compares the worker's inventory with what runs, and acts on the difference. */
@ActivityInterface
public interface ReconcileActivities {

  /**
   * Re-reads the inventory file (an invalid edit keeps the last good inventory, and the report lists its
   * problems), then starts the certificates that do not run, tells the ones whose entry changed, and stops the
   * ones removed. Idempotent; refuses any caller but the {@code reconcile} workflow.
   */
  @ActivityMethod
  ReconcileReport reconcile();
}
