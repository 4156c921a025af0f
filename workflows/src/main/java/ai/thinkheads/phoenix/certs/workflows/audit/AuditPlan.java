package ai.thinkheads.phoenix.certs.workflows.audit;

import java.time.Duration;
import java.util.List;

/**
 * What one audit covers, as the worker's inventory says: the tasks to fan out ({@code guest:<id>} per guest,
 * {@code source:<n>} per source run from the worker), how many at once, the estate's outline, the previous
 * audit's findings (null: none), the window before expiry in which an unmanaged certificate is flagged, and when
 * to audit again (null: a Temporal Schedule starts the audits).
 */
public record AuditPlan(List<String> tasks, int concurrency, EstateOutline estate, List<Finding> previous,
    Duration warnBefore, Duration nextRunIn) {

  public AuditPlan {
    tasks = tasks == null ? List.of() : List.copyOf(tasks);
  }
}
