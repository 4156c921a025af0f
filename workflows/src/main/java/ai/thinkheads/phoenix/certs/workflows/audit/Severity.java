package ai.thinkheads.phoenix.certs.workflows.audit;

/** How bad a finding is; ordered from the least to the worst, so {@code compareTo} says "worse". */
public enum Severity {
  INFO, WARNING, CRITICAL;

  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
