package ai.thinkheads.phoenix.certs.workflows.certificate;

import ai.thinkheads.phoenix.certs.workflows.model.CertificateSpec;
import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * Keeps one certificate valid on its target, forever: one run per renewal cycle, chained by continue-as-new.
 * Workflow ID {@code cert/<name>}.
 */
@WorkflowInterface
public interface CertificateWorkflow {

  String TASK_QUEUE = "phoenix-certs";

  @WorkflowMethod
  void run(CertificateWorkflowInput input);

  @QueryMethod
  CertificateStatus status();

  /** The spec this run works to; reconciliation compares it with the inventory's. */
  @QueryMethod
  CertificateSpec spec();

  /** Whether a renewal is under way or about to begin: what certificates that come after this one wait on. */
  @QueryMethod
  CycleState cycle();

  /** Renew at once, whatever the renewal point says. */
  @SignalMethod
  void renewNow();

  /** The inventory changed: use this spec from now on (renews if the target no longer matches it). */
  @SignalMethod
  void updateSpec(CertificateSpec spec);
}
