package ai.thinkheads.phoenix.certs.worker.metrics;

import ai.thinkheads.phoenix.certs.workflows.audit.AuditReport;
import ai.thinkheads.phoenix.certs.workflows.audit.CertificateFact;
import ai.thinkheads.phoenix.certs.workflows.audit.Severity;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * From the latest estate audit (what is actually deployed, served and stored, managed or not):
 * {@code phoenix_audit_certificate_expiration_timestamp_seconds{source,component,name}} for every certificate the
 * audit found (source: managed, acme, endpoint, file, discovered, root, intermediate, ca_tls), so one alert rule
 * covers the certificates phoenix-certs does not renew too; {@code phoenix_audit_findings{severity}} and
 * {@code phoenix_audit_timestamp_seconds} (when the audit ended). No series before the first audit.
 */
final class AuditMetrics {

  private final Series expiry;
  private final Series findings;
  private final Series finished;

  AuditMetrics(MeterRegistry registry) {
    expiry = new Series(registry, "phoenix_audit_certificate_expiration_timestamp_seconds",
        "The notAfter of each certificate the latest audit found, as a Unix timestamp", Series.Kind.GAUGE);
    findings = new Series(registry, "phoenix_audit_findings",
        "How many findings of each severity the latest audit reported", Series.Kind.GAUGE);
    finished = new Series(registry, "phoenix_audit_timestamp_seconds",
        "When the latest audit ended, as a Unix timestamp", Series.Kind.GAUGE);
  }

  void update(Optional<AuditReport> latest) {
    Map<Tags, Double> expiries = new LinkedHashMap<>();
    Map<Tags, Double> counts = new LinkedHashMap<>();
    Map<Tags, Double> ended = new LinkedHashMap<>();
    latest.ifPresent(report -> {
      for (CertificateFact fact : report.facts().certificates()) {
        if (fact.notAfter() == null) {
          continue;
        }
        Tags tags = Tags.of("source", fact.kind().name().toLowerCase(Locale.ROOT),
            "component", String.valueOf(fact.component()), "name", String.valueOf(fact.name()));
        // two certificates under one label set (a file and its copy): the sooner expiry is the one to alert on
        expiries.merge(tags, fact.notAfter().getEpochSecond() * 1.0, Math::min);
      }
      for (Severity severity : Severity.values()) {
        counts.put(Tags.of("severity", severity.label()), (double) report.count(severity));
      }
      if (report.finishedAt() != null) {
        ended.put(Tags.empty(), report.finishedAt().getEpochSecond() * 1.0);
      }
    });
    expiry.set(expiries);
    findings.set(counts);
    finished.set(ended);
  }
}
