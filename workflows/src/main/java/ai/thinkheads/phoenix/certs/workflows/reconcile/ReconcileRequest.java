package ai.thinkheads.phoenix.certs.workflows.reconcile;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * Why a reconcile run started ("worker start", "schedule", "timer"): shown in the UI, never acted on. What to
 * reconcile with is the worker's own inventory; how often, the worker's configuration.
 * Anything else a start carries (an old-style or forged input) is dropped.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ReconcileRequest(String reason) {

  public static final String WORKFLOW_ID = "reconcile";
}
