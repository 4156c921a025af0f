package ai.thinkheads.phoenix.certs.workflows.audit;

/** Where a certificate's chain leads, judged against the pinned root only. */
public enum ChainStatus {
  /** It chains to the pinned root (or is that root). */
  PINNED_ROOT("chains to the pinned root"),
  /** It signed itself. */
  SELF_SIGNED("self-signed"),
  /** Its chain ends in a root other than the pinned one. */
  FOREIGN_ROOT("issued under a foreign root"),
  /** An issuer in its chain is not present (missing intermediate, or a root nobody shipped). */
  INCOMPLETE("chain incomplete (missing intermediate)");

  private final String text;

  ChainStatus(String text) {
    this.text = text;
  }

  public String text() {
    return text;
  }
}
