package ai.thinkheads.phoenix.certs.workflows.audit;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * Audits the estate's certificates from what is actually there: facts per guest, findings, a report. Workflow ID
 * {@code audit}, type {@code Audit}; run daily (a Temporal Schedule, or this workflow's own timer loop) and on
 * demand ({@code phoenix-certs audit}).
 */
@WorkflowInterface
public interface AuditWorkflow {

  String TYPE = "Audit";

  @WorkflowMethod(name = TYPE)
  AuditReport run(AuditRequest request);

  /** The last report this run finished (null before the first). */
  @QueryMethod
  AuditReport latest();

  /** How many audits this loop has finished, across continue-as-new. */
  @QueryMethod
  long completed();

  /** Audit now instead of at the next interval (the timer loop); ignored while an audit runs. */
  @SignalMethod
  void auditNow();
}
