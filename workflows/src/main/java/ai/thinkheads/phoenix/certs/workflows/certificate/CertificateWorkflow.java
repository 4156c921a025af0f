package ai.thinkheads.phoenix.certs.workflows.certificate;

import ai.thinkheads.phoenix.certs.workflows.coordination.ReloadOutcome;
import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * Keeps one certificate valid on its target, forever: one run per renewal cycle, chained by continue-as-new.
 * Workflow ID {@code cert/<name>}, type {@code Certificate}. Its input and signals carry the name and intents
 * only; every step looks the certificate up in the worker's own inventory.
 */
@WorkflowInterface
public interface CertificateWorkflow {

  String TASK_QUEUE = "phoenix-certs";
  /** Runs started before inputs carried names only had type CertificateWorkflow; the worker restarts them. */
  String TYPE = "Certificate";

  /** The memo key under which a run records the inventory digest it works to (reconcile compares it). */
  String DIGEST_MEMO = "inventoryDigest";

  /**
   * The memo key under which a run publishes its {@link CertificateStatus} whenever it changes: one visibility
   * list (or one describe, or the worker's projection) reads it without replaying the history a query would.
   */
  String STATUS_MEMO = "status";

  static String workflowIdFor(String name) {
    return "cert/" + name;
  }

  @WorkflowMethod(name = TYPE)
  void run(CertificateRun input);

  @QueryMethod
  CertificateStatus status();


  /**
   * Renew at once, whatever the renewal point says; during the backoff after a failure, as soon as it ends (the
   * request is remembered, and the status shows when).
   */
  @SignalMethod
  void renewNow();

  /** Renew at once, even during a backoff: one attempt, never a loop (renew --force). */
  @SignalMethod
  void renewForce();

  /** The worker's inventory changed: look the certificate up again (renews if the target no longer matches). */
  @SignalMethod
  void inventoryChanged();

  /** From the guest's coordinator: lease {@code leaseId} on the guest's pairs is this certificate's now. */
  @SignalMethod
  void leaseGranted(String leaseId);

  /** From the guest's coordinator: the reload this certificate asked for has run. */
  @SignalMethod
  void reloaded(ReloadOutcome outcome);

  /** A certificate that comes after this one asks to be told when this one is between cycles. */
  @SignalMethod
  void notifyWhenSettled(SettledWaiter waiter);

  /** A certificate this one comes after is between cycles (or its pair, sharing this one's reload, is in). */
  @SignalMethod
  void predecessorSettled(PredecessorSettled settled);
}
