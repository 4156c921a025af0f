package ai.thinkheads.phoenix.certs.worker.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.thinkheads.phoenix.certs.activities.audit.AuditArchive;
import ai.thinkheads.phoenix.certs.workflows.audit.AuditDiff;
import ai.thinkheads.phoenix.certs.workflows.audit.AuditFacts;
import ai.thinkheads.phoenix.certs.workflows.audit.AuditReport;
import ai.thinkheads.phoenix.certs.workflows.audit.CertificateFact;
import ai.thinkheads.phoenix.certs.workflows.audit.CertificateKind;
import ai.thinkheads.phoenix.certs.workflows.audit.ChainStatus;
import ai.thinkheads.phoenix.certs.workflows.audit.EstateOutline;
import ai.thinkheads.phoenix.certs.workflows.audit.Finding;
import ai.thinkheads.phoenix.certs.workflows.audit.Findings;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The audit's series, read from the archive the worker keeps, as a scrape shows them. */
class AuditMetricsTest {

  static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);
  static final String PIN = "ab".repeat(32);

  @TempDir
  Path dir;

  @Test
  void everyCertificateTheAuditFoundHasAnExpirySeriesAndTheFindingsAreCounted() {
    AuditArchive archive = new AuditArchive(dir);
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    AuditMetrics metrics = new AuditMetrics(registry);

    metrics.update(archive.latest());
    assertFalse(registry.scrape().contains("phoenix_audit_"), "no series before the first audit");

    Instant acmeExpiry = NOW.plus(Duration.ofDays(20));
    Instant expired = NOW.minus(Duration.ofDays(1));
    archive.save(report(1, fact(CertificateKind.ACME, "acme.json", "qdrant.internal.test", acmeExpiry),
        fact(CertificateKind.FILE, "lxc/101", "/etc/ssl/old.crt", expired)));
    metrics.update(archive.latest());
    String scrape = registry.scrape();
    assertTrue(scrape.contains("phoenix_audit_certificate_expiration_timestamp_seconds{component=\"acme.json\","
        + "name=\"qdrant.internal.test\",source=\"acme\"} " + value(acmeExpiry)), scrape);
    assertTrue(scrape.contains("phoenix_audit_certificate_expiration_timestamp_seconds{component=\"lxc/101\","
        + "name=\"/etc/ssl/old.crt\",source=\"file\"} " + value(expired)), scrape);
    AuditReport first = archive.latest().orElseThrow();
    assertTrue(first.count(ai.thinkheads.phoenix.certs.workflows.audit.Severity.CRITICAL) >= 1,
        "the expired file is a critical finding: " + first.findings());
    assertTrue(scrape.contains("phoenix_audit_findings{severity=\"critical\"} "
        + first.count(ai.thinkheads.phoenix.certs.workflows.audit.Severity.CRITICAL) + ".0"), scrape);
    assertTrue(scrape.contains("phoenix_audit_timestamp_seconds " + value(NOW)), scrape);

    // the next audit no longer finds the old file: its series goes, so no alert fires on a file that is gone
    archive.save(report(2, fact(CertificateKind.ACME, "acme.json", "qdrant.internal.test", acmeExpiry)));
    metrics.update(archive.latest());
    scrape = registry.scrape();
    assertFalse(scrape.contains("old.crt"), scrape);
    assertTrue(scrape.contains("phoenix_audit_findings{severity=\"critical\"} 0.0"), scrape);
    assertEquals(Optional.empty(), new AuditArchive(dir.resolve("none")).latest());
  }

  private static String value(Instant instant) {
    // Prometheus text format prints doubles as Java does, e.g. 1.7649E9
    return String.valueOf((double) instant.getEpochSecond());
  }

  private static AuditReport report(long sequence, CertificateFact... facts) {
    AuditFacts all = new AuditFacts("estate", List.of(facts), List.of(), List.of(), List.of());
    List<Finding> findings = Findings.of(all, PIN, NOW, Duration.ofDays(30));
    return new AuditReport(AuditReport.SCHEMA_VERSION, sequence, "test", NOW, NOW,
        new EstateOutline("x.yaml", "local", null, PIN, List.of(), List.of()), all, findings,
        AuditDiff.between(List.of(), findings));
  }

  private static CertificateFact fact(CertificateKind kind, String component, String name, Instant notAfter) {
    return new CertificateFact(kind, component, name, name, "CN=" + name, "CN=Intermediate", "01", List.of(name),
        notAfter.minus(Duration.ofDays(90)), notAfter, "EC P-256", 256, "SHA256withECDSA", "ff",
        ChainStatus.PINNED_ROOT, null, null, null, null, null, null, null, null);
  }
}
