package ai.thinkheads.phoenix.certs.workflows.reconcile;

import java.util.List;

/** What a reconcile pass did: certificates started, sent a new spec, stopped, and left as they were. */
public record ReconcileReport(List<String> started, List<String> updated, List<String> stopped, int unchanged,
    String error) {

  public static ReconcileReport empty() {
    return new ReconcileReport(List.of(), List.of(), List.of(), 0, null);
  }
}
