package ai.thinkheads.phoenix.certs.worker.http;

/**
 * What became of one guest event. STARTED covers joining a run in progress (USE_EXISTING); REJECTED is final
 * (not in the inventory, kind mismatch); UNAVAILABLE is worth retrying later.
 */
public record Delivery(Outcome outcome, String message, String workflowId, String runId) {

  public enum Outcome {
    STARTED,
    IGNORED,
    REJECTED,
    UNAVAILABLE
  }

  static Delivery started(String workflowId, String runId) {
    return new Delivery(Outcome.STARTED, "onboarding " + workflowId, workflowId, runId);
  }

  static Delivery ignored(String message) {
    return new Delivery(Outcome.IGNORED, message, null, null);
  }

  static Delivery rejected(String message) {
    return new Delivery(Outcome.REJECTED, message, null, null);
  }

  static Delivery unavailable(String message) {
    return new Delivery(Outcome.UNAVAILABLE, message, null, null);
  }
}
