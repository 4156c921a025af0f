package ai.thinkheads.phoenix.certs.workflows.audit.report;

import ai.thinkheads.phoenix.certs.workflows.audit.AuditDiff;
import ai.thinkheads.phoenix.certs.workflows.audit.AuditReport;
import ai.thinkheads.phoenix.certs.workflows.audit.CertificateFact;
import ai.thinkheads.phoenix.certs.workflows.audit.CertificateKind;
import ai.thinkheads.phoenix.certs.workflows.audit.ChainStatus;
import ai.thinkheads.phoenix.certs.workflows.audit.EstateOutline;
import ai.thinkheads.phoenix.certs.workflows.audit.EstateOutline.GuestOutline;
import ai.thinkheads.phoenix.certs.workflows.audit.Finding;
import ai.thinkheads.phoenix.certs.workflows.audit.Severity;
import ai.thinkheads.phoenix.certs.workflows.audit.TrustStoreFact;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The report in the seed's own structure (ssl-certificate-audit-report.md): summary, architecture with a mermaid
 * diagram drawn from the inventory, lifecycle, certificate inventory per component, analysis. Every sentence is
 * computed from the facts and findings; the diff against the previous audit heads it.
 */
public final class MarkdownReport {

  public static final List<String> SECTIONS = List.of("## 1. Executive Summary", "## 2. Architecture Overview",
      "## 3. Certificate Lifecycle Management", "## 4. Certificate Inventory", "## 5. Analysis and Recommendations",
      "### 5.1. Strengths", "### 5.2. Areas for Improvement", "### 5.3. Recommendations");

  private MarkdownReport() {}

  public static String render(AuditReport r) {
    StringBuilder out = new StringBuilder();
    out.append("# SSL Certificate Audit Report\n\n");
    out.append("Audit ").append(r.sequence()).append(" of ").append(r.estate().source()).append(", ")
        .append(r.startedAt()).append(" to ").append(r.finishedAt()).append(" (").append(r.reason()).append(").\n\n");
    diff(out, r.diff());
    summary(out, r);
    architecture(out, r.estate());
    lifecycle(out, r);
    inventory(out, r);
    analysis(out, r);
    return out.toString();
  }

  private static void diff(StringBuilder out, AuditDiff diff) {
    out.append("**Since the previous audit:** ");
    if (diff == null || diff.firstAudit()) {
      out.append("this is the first audit; nothing to compare with.\n\n");
      return;
    }
    out.append(diff.added().size()).append(" new, ").append(diff.fixed().size()).append(" fixed, ")
        .append(diff.worse().size()).append(" worse.\n\n");
    for (Finding f : diff.added()) {
      out.append("*   new: ").append(line(f)).append('\n');
    }
    for (Finding f : diff.fixed()) {
      out.append("*   fixed: ").append(line(f)).append('\n');
    }
    for (Finding f : diff.worse()) {
      out.append("*   worse: ").append(line(f)).append('\n');
    }
    if (!diff.added().isEmpty() || !diff.fixed().isEmpty() || !diff.worse().isEmpty()) {
      out.append('\n');
    }
  }

  private static void summary(StringBuilder out, AuditReport r) {
    EstateOutline e = r.estate();
    out.append("## 1. Executive Summary\n\n");
    long managed = r.facts().certificates().stream().filter(c -> c.kind() == CertificateKind.MANAGED).count();
    out.append("This audit measured ").append(r.facts().certificates().size()).append(" certificates (")
        .append(managed).append(" managed by phoenix-certs) and ").append(r.facts().trustStores().size())
        .append(" trust stores on ").append(e.guests().size()).append(" guests, against the pinned root ")
        .append(code(e.pinnedFingerprint())).append(" of the ").append(e.caType()).append(" CA")
        .append(e.caUrl() == null ? "" : " at " + e.caUrl()).append(". It found ")
        .append(r.count(Severity.CRITICAL)).append(" critical problems, ").append(r.count(Severity.WARNING))
        .append(" warnings and ").append(r.count(Severity.INFO)).append(" notes.\n\n");
    for (Finding f : r.findings()) {
      if (f.severity() == Severity.CRITICAL) {
        out.append("*   **critical:** ").append(f.reason()).append('\n');
      }
    }
    if (r.count(Severity.CRITICAL) > 0) {
      out.append('\n');
    }
  }

  private static void architecture(StringBuilder out, EstateOutline e) {
    out.append("## 2. Architecture Overview\n\n");
    out.append("*   **Certificate Authority:** ").append(e.caType()).append(e.caUrl() == null ? "" : " at " + e.caUrl())
        .append(", root pinned by fingerprint ").append(code(e.pinnedFingerprint())).append(".\n");
    for (GuestOutline g : e.guests()) {
      out.append("*   **").append(g.label()).append(":** ").append(g.kind()).append("; trusts the root through ")
          .append(g.trust().isEmpty() ? "system" : String.join(", ", g.trust()))
          .append(g.certificates().isEmpty() ? "" : "; certificates: " + String.join(", ", g.certificates()))
          .append(".\n");
    }
    out.append("\n```mermaid\n").append(Mermaid.of(e)).append("```\n\n");
  }

  private static void lifecycle(StringBuilder out, AuditReport r) {
    List<CertificateFact> certs = r.facts().certificates();
    long managed = count(certs, CertificateKind.MANAGED);
    long running = certs.stream().filter(c -> c.kind() == CertificateKind.MANAGED
        && Boolean.TRUE.equals(c.renewing())).count();
    Set<String> resolvers = new LinkedHashSet<>();
    certs.stream().filter(c -> c.kind() == CertificateKind.ACME && c.managedBy() != null)
        .forEach(c -> resolvers.add(c.managedBy()));
    long unmanaged = certs.stream().filter(c -> c.managedBy() == null && c.kind() != CertificateKind.ROOT
        && c.kind() != CertificateKind.INTERMEDIATE).count();
    long stores = r.facts().trustStores().stream().filter(TrustStoreFact::listed).count();
    long holding = r.facts().trustStores().stream().filter(s -> s.listed() && s.holdsRoot()).count();
    out.append("## 3. Certificate Lifecycle Management\n\n");
    out.append("*   **Issuance:** phoenix-certs issues ").append(managed).append(" certificates from the ")
        .append(r.estate().caType()).append(" CA; ").append(count(certs, CertificateKind.ACME))
        .append(" more are kept by Traefik in acme.json.\n");
    out.append("*   **Renewal:** ").append(running).append(" of ").append(managed)
        .append(" managed certificates have their renewal workflow running")
        .append(resolvers.isEmpty() ? "" : "; Traefik renews through " + String.join(", ", resolvers))
        .append("; ").append(unmanaged).append(" certificates found are renewed by nothing the inventory names.\n");
    out.append("*   **Distribution:** ").append(holding).append(" of ").append(stores)
        .append(" listed trust stores hold the pinned root.\n\n");
  }

  private static void inventory(StringBuilder out, AuditReport r) {
    out.append("## 4. Certificate Inventory\n\n");
    Map<String, List<CertificateFact>> byComponent = new LinkedHashMap<>();
    Map<String, List<TrustStoreFact>> storesBy = new LinkedHashMap<>();
    byComponent.put("ca", new ArrayList<>());
    for (GuestOutline g : r.estate().guests()) {
      byComponent.put(g.id(), new ArrayList<>());
    }
    r.facts().certificates().forEach(c -> byComponent.computeIfAbsent(c.component(), k -> new ArrayList<>()).add(c));
    r.facts().trustStores().forEach(s -> storesBy.computeIfAbsent(s.guest(), k -> new ArrayList<>()).add(s));
    int n = 1;
    for (Map.Entry<String, List<CertificateFact>> entry : byComponent.entrySet()) {
      List<TrustStoreFact> stores = storesBy.getOrDefault(entry.getKey(), List.of());
      if (entry.getValue().isEmpty() && stores.isEmpty()) {
        continue;
      }
      out.append("### 4.").append(n++).append(". ").append(title(r.estate(), entry.getKey())).append('\n');
      for (TrustStoreFact s : stores) {
        out.append("*   **Trust store:** ").append(s.store()).append(" (").append(code(s.path())).append("): ")
            .append(s.holdsRoot() ? "holds the pinned root" : "does NOT hold the pinned root")
            .append(s.listed() ? "" : " (not listed for this guest)")
            .append(s.otherRoots().isEmpty() ? "" : "; other private roots: " + String.join(", ", s.otherRoots()))
            .append(".\n");
      }
      for (CertificateFact c : entry.getValue()) {
        out.append("*   **Certificate:** ").append(code(c.name())).append(" (").append(kind(c)).append(")\n");
        out.append("    *   **Location:** ").append(code(c.location())).append('\n');
        out.append("    *   **Subject / names:** ").append(c.subject()).append("; ").append(c.sans()).append('\n');
        out.append("    *   **Origin:** ").append(c.issuer()).append(", ").append(chain(c)).append('\n');
        out.append("    *   **Validity:** ").append(c.notBefore()).append(" to ").append(c.notAfter())
            .append(", serial ").append(code(c.serial())).append(", ").append(c.key()).append(", ")
            .append(c.signature()).append('\n');
        out.append("    *   **Renewed by:** ").append(c.managedBy() == null ? "nothing in the inventory"
            : c.managedBy() + (c.renewing() == null ? "" : c.renewing() ? " (running)" : " (NOT running)"))
            .append(c.servedSerial() == null ? "" : "; served serial " + code(c.servedSerial()))
            .append(c.protocol() == null ? "" : "; " + c.protocol())
            .append(c.keyMatches() == null ? "" : c.keyMatches() ? "; key matches" : "; key does NOT match")
            .append('\n');
      }
      out.append('\n');
    }
  }

  private static void analysis(StringBuilder out, AuditReport r) {
    out.append("## 5. Analysis and Recommendations\n\n");
    out.append("### 5.1. Strengths\n\n");
    List<String> strengths = Analysis.strengths(r);
    if (strengths.isEmpty()) {
      out.append("*   None measured in this audit.\n");
    }
    strengths.forEach(s -> out.append("*   ").append(s).append('\n'));
    out.append("\n### 5.2. Areas for Improvement\n\n");
    if (r.findings().isEmpty()) {
      out.append("*   Nothing found.\n");
    }
    r.findings().forEach(f -> out.append("*   ").append(line(f)).append('\n'));
    out.append("\n### 5.3. Recommendations\n\n");
    List<String> advice = Analysis.recommendations(r);
    if (advice.isEmpty()) {
      out.append("*   Keep the daily audit running.\n");
    }
    advice.forEach(a -> out.append("*   ").append(a).append('\n'));
  }

  static String line(Finding f) {
    return "**" + f.severity().label() + "** (" + f.code() + ") " + f.reason();
  }

  static String title(EstateOutline e, String component) {
    if ("ca".equals(component)) {
      return "Certificate Authority (" + e.caType() + (e.caUrl() == null ? "" : ", " + e.caUrl()) + ")";
    }
    return e.guests().stream().filter(g -> g.id().equals(component)).findFirst().map(GuestOutline::label)
        .orElse("Endpoint " + component);
  }

  static String kind(CertificateFact c) {
    return switch (c.kind()) {
      case ROOT -> "root CA";
      case INTERMEDIATE -> "intermediate CA";
      case CA_TLS -> "the CA's TLS certificate";
      case MANAGED -> "managed by phoenix-certs";
      case ACME -> "Traefik ACME";
      case ENDPOINT -> "served over TLS";
      case FILE -> "file found on disk";
      case DISCOVERED -> "found listening";
    };
  }

  static String chain(CertificateFact c) {
    ChainStatus chain = c.chain();
    return chain == null ? "chain not checked" : chain.text() + (c.chainDetail() == null ? "" : " (" + c.chainDetail()
        + ")");
  }

  private static long count(List<CertificateFact> certs, CertificateKind kind) {
    return certs.stream().filter(c -> c.kind() == kind).count();
  }

  private static String code(String text) {
    return text == null ? "(none)" : "`" + text + "`";
  }
}
