package ai.thinkheads.phoenix.certs.workflows.audit;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * Why an audit started ("cli", "schedule", "timer", "worker start") and how many audits this loop finished before
 * (carried over continue-as-new so the CLI can tell a fresh report from the last one). Never acted on: what to
 * audit is the worker's own inventory.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record AuditRequest(String reason, long completed) {

  public static final String WORKFLOW_ID = "audit";
  /** The reason of the loop a worker starts: it waits its interval before the first audit. */
  public static final String WORKER_START = "worker start";
  /**
   * The reason of the trust-only check a worker runs at each start (workflow {@link #TRUST_CHECK_ID}): every
   * listed guest's trust stores, each guest lacking the root onboarded; no report is published.
   */
  public static final String TRUST_CHECK = "trust check";
  public static final String TRUST_CHECK_ID = WORKFLOW_ID + "-trust";

  public static AuditRequest of(String reason) {
    return new AuditRequest(reason, 0);
  }
}
