package ai.thinkheads.phoenix.certs.workflows.audit;

/**
 * A problem the audit found, computed from the facts: how bad, which rule ({@code code}), on what, and why.
 *
 * @param code the rule: expired, renewal-due, untrusted-chain, san-mismatch, key-mismatch, weak-crypto,
 *     root-missing, ca-expiring, served-differs, unreachable, check-failed, unmanaged, other-roots
 */
public record Finding(Severity severity, String code, String component, String subject, String reason) {

  /** What identifies "the same finding" across audits: the rule and what it is about, not the wording. */
  public String key() {
    return code + "|" + component + "|" + subject;
  }
}
