package ai.thinkheads.phoenix.certs.workflows.audit;

import java.time.Instant;
import java.util.List;

/**
 * One audit: the estate, every fact measured, the findings computed from them and the difference from the
 * previous audit. Its JSON form (see {@code report/JsonReport}) is versioned by {@link #schemaVersion}.
 *
 * @param sequence how many audits this loop finished, this one included
 */
public record AuditReport(int schemaVersion, long sequence, String reason, Instant startedAt, Instant finishedAt,
    EstateOutline estate, AuditFacts facts, List<Finding> findings, AuditDiff diff) {

  public static final int SCHEMA_VERSION = 1;

  public AuditReport {
    findings = findings == null ? List.of() : List.copyOf(findings);
  }

  public long count(Severity severity) {
    return findings.stream().filter(f -> f.severity() == severity).count();
  }
}
