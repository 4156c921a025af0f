package ai.thinkheads.phoenix.certs.workflows.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.thinkheads.phoenix.certs.workflows.audit.EstateOutline.GuestOutline;
import ai.thinkheads.phoenix.certs.workflows.audit.report.HtmlReport;
import ai.thinkheads.phoenix.certs.workflows.audit.report.JsonReport;
import ai.thinkheads.phoenix.certs.workflows.audit.report.MarkdownReport;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each rule on facts alone: one fact that breaks it, one that does not. */
class FindingsTest {

  static final Instant NOW = Instant.parse("2026-12-02T10:00:00Z");
  static final String PIN = "aa".repeat(32);

  static CertificateFact leaf(CertificateKind kind, String name, Instant notBefore, Instant notAfter) {
    return new CertificateFact(kind, "lxc/101", name, "/etc/nginx/ssl/" + name + ".crt", "CN=" + name,
        "CN=Intermediate", "01", List.of(name), notBefore, notAfter, "EC P-256", 256, "SHA256withECDSA", "ff",
        ChainStatus.PINNED_ROOT, null, null, null, null, null, null, null, null);
  }

  static CertificateFact healthy(CertificateKind kind, String name) {
    return leaf(kind, name, NOW.minus(Duration.ofDays(10)), NOW.plus(Duration.ofDays(80)));
  }

  static List<String> codes(CertificateFact... facts) {
    return Findings.of(new AuditFacts("t", List.of(facts), List.of(), List.of(), List.of()), PIN, NOW,
        Duration.ofDays(30)).stream().map(f -> f.severity().label() + " " + f.code()).toList();
  }

  @Test
  void aHealthyManagedCertificateHasNoFinding() {
    assertEquals(List.of(), codes(healthy(CertificateKind.MANAGED, "web").withKeyMatches(true)
        .withExpectedSans(List.of("web")).managed("cert/web", true, NOW.plus(Duration.ofDays(50)))));
  }

  @Test
  void expiredIsCritical() {
    assertEquals(List.of("critical expired"), codes(leaf(CertificateKind.ACME, "a", NOW.minus(Duration.ofDays(90)),
        NOW.minus(Duration.ofSeconds(1))).managed("traefik resolver r", null, null)));
  }

  @Test
  void aManagedCertificatePastItsRenewalPointWithNoWorkflowIsCritical() {
    CertificateFact past = healthy(CertificateKind.MANAGED, "web").managed("cert/web", false, NOW.minusSeconds(60));
    assertEquals(List.of("critical renewal-due"), codes(past));
    CertificateFact early = healthy(CertificateKind.MANAGED, "web").managed("cert/web", false, NOW.plusSeconds(60));
    assertEquals(List.of("warning renewal-due"), codes(early));
  }

  @Test
  void anUnmanagedCertificateInsideItsWindowIsFlagged() {
    CertificateFact soon = leaf(CertificateKind.ACME, "x", NOW.minus(Duration.ofDays(60)), NOW.plus(Duration.ofDays(20)));
    assertEquals(List.of("warning renewal-due"), codes(soon));
    assertEquals(List.of(), codes(soon.managed("traefik resolver r", null, null)), "Traefik still has time");
  }

  @Test
  void chainSansKeysAndWeakCrypto() {
    CertificateFact base = healthy(CertificateKind.MANAGED, "web").managed("cert/web", true, NOW.plus(Duration.ofDays(9)));
    assertEquals(List.of("critical key-mismatch"), codes(base.withKeyMatches(false)));
    assertEquals(List.of("critical san-mismatch"), codes(base.withExpectedSans(List.of("web", "www"))));
    CertificateFact selfSigned = new CertificateFact(CertificateKind.ENDPOINT, "10.0.0.1:443", "x", "10.0.0.1:443",
        "CN=x", "CN=x", "02", List.of("*.internal.thinkheads.ai"), NOW.minus(Duration.ofDays(1)),
        NOW.plus(Duration.ofDays(300)), "RSA 1024", 1024, "SHA1withRSA", "ee", ChainStatus.SELF_SIGNED, null, null,
        List.of("qdrant.internal.thinkheads.ai"), null, null, null, null, "TLSv1.3");
    assertEquals(List.of("critical untrusted-chain", "warning weak-crypto"), codes(selfSigned));
    assertEquals(List.of("critical san-mismatch", "critical untrusted-chain", "warning weak-crypto"),
        codes(selfSigned.withExpectedSans(List.of("qdrant.other.ai"))));
    assertEquals(List.of("warning served-differs"), codes(base.withServed("99", "TLSv1.3")));
  }

  @Test
  void wildcardsCoverOneLabel() {
    assertTrue(Findings.covers(List.of("*.internal.thinkheads.ai"), "qdrant.internal.thinkheads.ai"));
    assertFalse(Findings.covers(List.of("*.internal.thinkheads.ai"), "a.b.internal.thinkheads.ai"));
    assertFalse(Findings.covers(List.of("*.internal.thinkheads.ai"), "internal.thinkheads.ai"));
  }

  @Test
  void aCaExpiringWithinAYearAndAStoreWithoutTheRoot() {
    CertificateFact intermediate = leaf(CertificateKind.INTERMEDIATE, "intermediate", NOW.minus(Duration.ofDays(3000)),
        NOW.plus(Duration.ofDays(200)));
    AuditFacts facts = new AuditFacts("t", List.of(intermediate), List.of(new TrustStoreFact("lxc/101", "system",
        "/etc/ssl/certs/ca-certificates.crt", true, false, List.of("CN=Old CA (sha256 12)"))), List.of(),
        List.of(new Unreachable("vm/1002", "trust source", "connection refused")));
    List<String> found = Findings.of(facts, PIN, NOW, Duration.ofDays(30)).stream()
        .map(f -> f.severity().label() + " " + f.code() + " " + f.component()).toList();
    assertEquals(List.of("critical root-missing lxc/101", "critical unreachable vm/1002",
        "warning ca-expiring lxc/101", "info other-roots lxc/101"), found);
  }

  @Test
  void theDiffSaysNewFixedAndWorse() {
    Finding a = new Finding(Severity.WARNING, "renewal-due", "lxc/101", "x", "r");
    Finding b = new Finding(Severity.CRITICAL, "root-missing", "lxc/102", "system", "r");
    Finding aWorse = new Finding(Severity.CRITICAL, "renewal-due", "lxc/101", "x", "r2");
    Finding c = new Finding(Severity.INFO, "unmanaged", "lxc/103", "/f", "r");
    AuditDiff diff = AuditDiff.between(List.of(a, b), List.of(aWorse, c));
    assertEquals(List.of(c), diff.added());
    assertEquals(List.of(b), diff.fixed());
    assertEquals(List.of(aWorse), diff.worse());
    assertTrue(AuditDiff.between(null, List.of(a)).firstAudit());
  }

  @Test
  void theReportsRenderAndTheJsonReadsBack() {
    AuditFacts facts = new AuditFacts("estate", List.of(healthy(CertificateKind.MANAGED, "web")
        .managed("cert/web", true, NOW.plus(Duration.ofDays(50)))), List.of(), List.of(), List.of());
    List<Finding> findings = Findings.of(facts, PIN, NOW, Duration.ofDays(30));
    AuditReport report = new AuditReport(AuditReport.SCHEMA_VERSION, 3, "test", NOW, NOW, new EstateOutline("x.yaml",
        "step-ca", "https://ca:9000", PIN, List.of(new GuestOutline("lxc/101", "nginx", "lxc", List.of("system"),
        List.of("web"))), List.of("ca")), facts, findings, AuditDiff.between(List.of(), findings));
    assertEquals(report, JsonReport.parse(JsonReport.render(report)));
    assertTrue(JsonReport.render(report).contains("\"schemaVersion\" : 1"));
    String md = MarkdownReport.render(report);
    MarkdownReport.SECTIONS.forEach(h -> assertTrue(md.contains("\n" + h + "\n"), h));
    assertTrue(md.contains("CA -- \"issues web\" --> G0"), md);
    String html = HtmlReport.render(report);
    assertTrue(html.contains("<svg id=\"timeline\"") && html.contains("data-name=\"web\""), html);
  }
}
