package ai.thinkheads.phoenix.certs.workflows.audit.report;

import ai.thinkheads.phoenix.certs.workflows.audit.AuditReport;
import java.util.List;

/** The report's output formats, by the name {@code --format} takes. */
public final class Formats {

  public static final List<String> NAMES = List.of("md", "json", "html");

  private Formats() {}

  public static String render(AuditReport report, String format) {
    return switch (format) {
      case "md" -> MarkdownReport.render(report);
      case "json" -> JsonReport.render(report);
      case "html" -> HtmlReport.render(report);
      default -> throw new IllegalArgumentException("unknown format '" + format + "' (known: md, json, html)");
    };
  }
}
