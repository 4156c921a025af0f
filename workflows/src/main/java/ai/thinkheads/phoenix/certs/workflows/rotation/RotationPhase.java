package ai.thinkheads.phoenix.certs.workflows.rotation;

/**
 * Where a CA rotation stands. The worker reads it (through the {@code progress} query) to decide which CA issues
 * and which roots its guests must trust, so the phase is the one switch: before {@link #REISSUE} (and after
 * {@link #ABORTED}) the retiring CA issues and both roots are trusted; from {@link #REISSUE} on the new CA issues;
 * from {@link #RETIRE} on only the new root is trusted and the old one is removed.
 */
public enum RotationPhase {
  PLANNING,
  OVERLAP,
  REISSUE,
  GRACE,
  RETIRE,
  DONE,
  ABORTED;

  /** The new CA issues. */
  public boolean newCaIssues() {
    return this == REISSUE || this == GRACE || this == RETIRE || this == DONE;
  }

  /** The old root is no longer trusted (when the roots differ). */
  public boolean oldRootRetired() {
    return this == RETIRE || this == DONE;
  }
}
