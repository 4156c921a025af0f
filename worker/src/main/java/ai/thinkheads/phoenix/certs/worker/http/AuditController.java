package ai.thinkheads.phoenix.certs.worker.http;

import ai.thinkheads.phoenix.certs.worker.engine.Engine;
import ai.thinkheads.phoenix.certs.workflows.audit.report.Formats;
import ai.thinkheads.phoenix.certs.workflows.audit.report.HtmlReport;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.util.Map;

/**
 * {@code GET /audit}: the latest audit as an HTML page (expiry timeline, findings, every certificate);
 * {@code ?format=json} or {@code md} for the other forms. 404 before the first audit. Read-only, public facts
 * only; it maps the estate, so it takes the events token as {@code /status} does (BearerTokenFilter).
 */
@Controller
@ExecuteOn(TaskExecutors.BLOCKING)
public class AuditController {

  private static final Map<String, String> TYPES = Map.of("html", MediaType.TEXT_HTML + ";charset=utf-8",
      "json", MediaType.APPLICATION_JSON, "md", "text/markdown;charset=utf-8");

  @Get(uri = "/audit")
  public HttpResponse<String> latest(@QueryValue(defaultValue = "html") String format) {
    if (!Formats.NAMES.contains(format)) {
      return HttpResponse.<String>status(HttpStatus.BAD_REQUEST).body("unknown format '" + format
          + "' (known: md, json, html)\n");
    }
    return Engine.AUDIT_ARCHIVE.latest()
        .map(report -> HttpResponse.ok(Formats.render(report, format)).contentType(TYPES.get(format)))
        .orElseGet(() -> HttpResponse.<String>status(HttpStatus.NOT_FOUND).body(
            "no audit yet: run phoenix-certs audit (or wait for the daily one)\n"));
  }

  /** For tests of the page without a worker: the same rendering as {@code /audit}. */
  static String render(ai.thinkheads.phoenix.certs.workflows.audit.AuditReport report) {
    return HtmlReport.render(report);
  }
}
