package ai.thinkheads.phoenix.certs.workflows.audit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * This audit against the previous one: findings that are new, fixed (gone) or worse (same rule and subject, higher
 * severity). {@code firstAudit} when there was nothing to compare with.
 */
public record AuditDiff(boolean firstAudit, List<Finding> added, List<Finding> fixed, List<Finding> worse) {

  public AuditDiff {
    added = added == null ? List.of() : List.copyOf(added);
    fixed = fixed == null ? List.of() : List.copyOf(fixed);
    worse = worse == null ? List.of() : List.copyOf(worse);
  }

  /** {@code previous} null: the first audit. */
  public static AuditDiff between(List<Finding> previous, List<Finding> current) {
    if (previous == null) {
      return new AuditDiff(true, current, List.of(), List.of());
    }
    Map<String, Finding> before = new LinkedHashMap<>();
    previous.forEach(f -> before.putIfAbsent(f.key(), f));
    Map<String, Finding> now = new LinkedHashMap<>();
    current.forEach(f -> now.putIfAbsent(f.key(), f));
    List<Finding> added = new ArrayList<>();
    List<Finding> worse = new ArrayList<>();
    now.forEach((key, f) -> {
      Finding old = before.get(key);
      if (old == null) {
        added.add(f);
      } else if (f.severity().compareTo(old.severity()) > 0) {
        worse.add(f);
      }
    });
    List<Finding> fixed = before.values().stream().filter(f -> !now.containsKey(f.key())).toList();
    return new AuditDiff(false, added, fixed, worse);
  }
}
