package ai.thinkheads.phoenix.certs.workflows.audit.report;

import ai.thinkheads.phoenix.certs.workflows.audit.AuditDiff;
import ai.thinkheads.phoenix.certs.workflows.audit.AuditReport;
import ai.thinkheads.phoenix.certs.workflows.audit.CertificateFact;
import ai.thinkheads.phoenix.certs.workflows.audit.Finding;
import ai.thinkheads.phoenix.certs.workflows.audit.TrustStoreFact;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The report as one self-contained HTML page (no script, no external resource): the diff, the findings, an expiry
 * timeline (SVG: one bar per certificate, its renewal window shaded, today marked), every certificate and trust
 * store. Rows carry {@code data-*} attributes so tools (and the tests) can read the page through its DOM.
 */
public final class HtmlReport {

  private HtmlReport() {}

  public static String render(AuditReport r) {
    StringBuilder out = new StringBuilder();
    out.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Certificate audit ")
        .append(r.sequence()).append("</title><style>")
        .append("body{font-family:sans-serif;margin:2em;color:#222}table{border-collapse:collapse;margin:1em 0}")
        .append("td,th{border:1px solid #ccc;padding:4px 8px;font-size:13px;text-align:left}")
        .append(".critical{color:#b00020;font-weight:bold}.warning{color:#a66300}.info{color:#555}")
        .append("</style></head><body>\n");
    out.append("<h1>SSL Certificate Audit Report</h1>\n<p id=\"meta\">Audit ").append(r.sequence()).append(" of ")
        .append(esc(r.estate().source())).append(", ").append(r.finishedAt()).append(": <span id=\"counts\">")
        .append(r.count(ai.thinkheads.phoenix.certs.workflows.audit.Severity.CRITICAL)).append(" critical, ")
        .append(r.count(ai.thinkheads.phoenix.certs.workflows.audit.Severity.WARNING)).append(" warnings, ")
        .append(r.count(ai.thinkheads.phoenix.certs.workflows.audit.Severity.INFO)).append(" notes</span></p>\n");
    diff(out, r.diff());
    out.append("<h2>Findings</h2>\n<table id=\"findings\"><tr><th>severity</th><th>rule</th><th>component</th>"
        + "<th>subject</th><th>reason</th></tr>\n");
    for (Finding f : r.findings()) {
      out.append("<tr class=\"finding ").append(f.severity().label()).append("\" data-code=\"").append(esc(f.code()))
          .append("\" data-component=\"").append(esc(f.component())).append("\" data-subject=\"")
          .append(esc(f.subject())).append("\"><td>").append(f.severity().label()).append("</td><td>")
          .append(esc(f.code())).append("</td><td>").append(esc(f.component())).append("</td><td>")
          .append(esc(f.subject())).append("</td><td>").append(esc(f.reason())).append("</td></tr>\n");
    }
    out.append("</table>\n<h2>Expiry timeline</h2>\n").append(timeline(r)).append('\n');
    out.append("<h2>Certificates</h2>\n<table id=\"certificates\"><tr><th>component</th><th>name</th><th>kind</th>"
        + "<th>location</th><th>names</th><th>issuer</th><th>chain</th><th>not after</th><th>serial</th>"
        + "<th>key</th><th>renewed by</th></tr>\n");
    for (CertificateFact c : r.facts().certificates()) {
      out.append("<tr class=\"certificate\" data-kind=\"").append(c.kind()).append("\" data-component=\"")
          .append(esc(c.component())).append("\" data-name=\"").append(esc(c.name())).append("\" data-serial=\"")
          .append(esc(c.serial())).append("\"><td>").append(esc(c.component())).append("</td><td>")
          .append(esc(c.name())).append("</td><td>").append(MarkdownReport.kind(c)).append("</td><td>")
          .append(esc(c.location())).append("</td><td>").append(esc(String.join(", ", c.sans()))).append("</td><td>")
          .append(esc(c.issuer())).append("</td><td>").append(esc(MarkdownReport.chain(c))).append("</td><td>")
          .append(c.notAfter()).append("</td><td>").append(esc(c.serial())).append("</td><td>").append(esc(c.key()))
          .append("</td><td>").append(esc(c.managedBy() == null ? "nothing" : c.managedBy()))
          .append("</td></tr>\n");
    }
    out.append("</table>\n<h2>Trust stores</h2>\n<table id=\"trust\"><tr><th>guest</th><th>store</th><th>path</th>"
        + "<th>pinned root</th><th>other private roots</th></tr>\n");
    for (TrustStoreFact s : r.facts().trustStores()) {
      out.append("<tr class=\"store\" data-guest=\"").append(esc(s.guest())).append("\" data-holds=\"")
          .append(s.holdsRoot()).append("\"><td>").append(esc(s.guest())).append("</td><td>").append(esc(s.store()))
          .append("</td><td>").append(esc(s.path())).append("</td><td>").append(s.holdsRoot() ? "present" : "MISSING")
          .append("</td><td>").append(esc(String.join(", ", s.otherRoots()))).append("</td></tr>\n");
    }
    out.append("</table>\n</body></html>\n");
    return out.toString();
  }

  private static void diff(StringBuilder out, AuditDiff diff) {
    out.append("<div id=\"diff\"><h2>Since the previous audit</h2>");
    if (diff == null || diff.firstAudit()) {
      out.append("<p>First audit: nothing to compare with.</p></div>\n");
      return;
    }
    out.append("<p>").append(diff.added().size()).append(" new, ").append(diff.fixed().size()).append(" fixed, ")
        .append(diff.worse().size()).append(" worse</p><ul>");
    diff.added().forEach(f -> out.append("<li class=\"new\">new: ").append(esc(f.reason())).append("</li>"));
    diff.fixed().forEach(f -> out.append("<li class=\"fixed\">fixed: ").append(esc(f.reason())).append("</li>"));
    diff.worse().forEach(f -> out.append("<li class=\"worse\">worse: ").append(esc(f.reason())).append("</li>"));
    out.append("</ul></div>\n");
  }

  /** One bar per certificate from notBefore to notAfter, its last third (the renewal window) shaded, today a line. */
  static String timeline(AuditReport r) {
    List<CertificateFact> certs = r.facts().certificates().stream()
        .filter(c -> c.notBefore() != null && c.notAfter() != null).toList();
    Instant now = r.finishedAt();
    Instant start = certs.stream().map(CertificateFact::notBefore).min(Instant::compareTo).orElse(now);
    Instant end = certs.stream().map(CertificateFact::notAfter).max(Instant::compareTo).orElse(now);
    // Long-lived roots would squash every leaf: the axis spans at most a year around today.
    Instant from = max(start, now.minus(Duration.ofDays(180)));
    Instant to = min(max(end, now.plus(Duration.ofDays(1))), now.plus(Duration.ofDays(365)));
    if (!from.isBefore(to)) {
      from = now.minus(Duration.ofDays(1));
    }
    int left = 260;
    int width = 600;
    int rowHeight = 18;
    int height = certs.size() * rowHeight + 30;
    double span = Duration.between(from, to).toMillis();
    StringBuilder svg = new StringBuilder();
    svg.append("<svg id=\"timeline\" xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(left + width + 20)
        .append("\" height=\"").append(height).append("\" font-size=\"11\" font-family=\"sans-serif\">");
    int y = 10;
    for (CertificateFact c : certs) {
      double x1 = left + width * clamp(Duration.between(from, c.notBefore()).toMillis() / span);
      double x2 = left + width * clamp(Duration.between(from, c.notAfter()).toMillis() / span);
      Instant windowStart = c.renewAfter() != null ? c.renewAfter()
          : c.notAfter().minus(Duration.between(c.notBefore(), c.notAfter()).dividedBy(3));
      double xw = left + width * clamp(Duration.between(from, windowStart).toMillis() / span);
      boolean expired = !now.isBefore(c.notAfter());
      svg.append("<g class=\"bar\" data-name=\"").append(esc(c.name())).append("\"><text x=\"4\" y=\"").append(y + 11)
          .append("\">").append(esc(shorten(c.component() + " " + c.name()))).append("</text>")
          .append("<rect x=\"").append(fmt(x1)).append("\" y=\"").append(y).append("\" width=\"")
          .append(fmt(Math.max(1, x2 - x1))).append("\" height=\"12\" fill=\"")
          .append(expired ? "#b00020" : "#4a90d9").append("\"/>")
          .append("<rect class=\"window\" x=\"").append(fmt(xw)).append("\" y=\"").append(y).append("\" width=\"")
          .append(fmt(Math.max(0, x2 - xw))).append("\" height=\"12\" fill=\"#f0a030\" opacity=\"0.7\"/></g>");
      y += rowHeight;
    }
    double today = left + width * clamp(Duration.between(from, now).toMillis() / span);
    svg.append("<line id=\"today\" x1=\"").append(fmt(today)).append("\" y1=\"0\" x2=\"").append(fmt(today))
        .append("\" y2=\"").append(height - 14).append("\" stroke=\"#000\" stroke-dasharray=\"4 2\"/>")
        .append("<text x=\"").append(fmt(today + 3)).append("\" y=\"").append(height - 2).append("\">today</text>")
        .append("<text x=\"").append(left).append("\" y=\"").append(height - 2).append("\">").append(from.toString(), 0, 10)
        .append("</text><text x=\"").append(left + width - 60).append("\" y=\"").append(height - 2).append("\">")
        .append(to.toString(), 0, 10).append("</text></svg>");
    return svg.toString();
  }

  private static String shorten(String text) {
    return text.length() > 40 ? text.substring(0, 39) + "…" : text;
  }

  private static double clamp(double v) {
    return Math.max(0, Math.min(1, v));
  }

  private static String fmt(double v) {
    return String.format(java.util.Locale.ROOT, "%.1f", v);
  }

  private static Instant max(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }

  private static Instant min(Instant a, Instant b) {
    return a.isBefore(b) ? a : b;
  }

  static String esc(String text) {
    return Objects.toString(text, "").replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        .replace("\"", "&quot;");
  }
}
