package ai.thinkheads.phoenix.certs.activities.audit;

import ai.thinkheads.phoenix.certs.activities.plugin.Settings;
import java.time.Duration;
import java.util.List;

/**
 * The inventory's {@code audit:} section, checked: how often, how many guests at once, the window before expiry in
 * which a certificate nobody renews is flagged, and the sources beyond the defaults ({@code ca}, {@code managed},
 * {@code trust}, which always run unless listed with their own options).
 */
public record AuditSpec(Duration interval, int concurrency, Duration warnBefore, List<Settings> sources) {

  public static final Duration DEFAULT_INTERVAL = Duration.ofHours(24);
  public static final int DEFAULT_CONCURRENCY = 32;
  public static final Duration DEFAULT_WARN_BEFORE = Duration.ofDays(30);
  public static final List<String> DEFAULT_SOURCES = List.of("ca", "managed", "trust");
  public static final AuditSpec DEFAULT = new AuditSpec(DEFAULT_INTERVAL, DEFAULT_CONCURRENCY, DEFAULT_WARN_BEFORE,
      List.of());

  public AuditSpec {
    interval = interval == null ? DEFAULT_INTERVAL : interval;
    concurrency = concurrency <= 0 ? DEFAULT_CONCURRENCY : concurrency;
    warnBefore = warnBefore == null ? DEFAULT_WARN_BEFORE : warnBefore;
    sources = sources == null ? List.of() : List.copyOf(sources);
  }
}
