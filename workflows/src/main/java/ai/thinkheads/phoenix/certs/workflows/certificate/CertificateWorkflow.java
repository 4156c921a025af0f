package ai.thinkheads.phoenix.certs.workflows.certificate;

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

  static String workflowIdFor(String name) {
    return "cert/" + name;
  }

  @WorkflowMethod(name = TYPE)
  void run(CertificateRun input);

  @QueryMethod
  CertificateStatus status();

  /** Whether a renewal is under way or about to begin: what certificates that come after this one wait on. */
  @QueryMethod
  CycleState cycle();

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
}
