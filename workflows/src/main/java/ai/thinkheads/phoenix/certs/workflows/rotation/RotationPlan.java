package ai.thinkheads.phoenix.certs.workflows.rotation;

import java.util.List;

/**
 * What the worker's inventory says a rotation covers: the two CAs (by an id derived from their settings, and
 * their roots' fingerprints: public), every guest whose trust stores must change, every certificate to re-issue.
 *
 * @param rootChanges false for an intermediate-only rotation (same root): no trust store changes
 */
public record RotationPlan(String fromCa, String toCa, String fromRoot, String toRoot, List<String> guests,
    List<String> certificates) {

  public RotationPlan {
    guests = List.copyOf(guests);
    certificates = List.copyOf(certificates);
  }

  public boolean rootChanges() {
    return !fromRoot.equals(toRoot);
  }
}
