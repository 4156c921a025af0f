package ai.thinkheads.phoenix.certs.worker.metrics;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;

/**
 * {@code GET /metrics}: every meter in Prometheus' text format (0.0.4). A scrape reads held values only; the
 * phoenix_* values are refreshed on a timer ({@link MetricsRefresher}). 404 when metrics are off, 401 without the
 * metrics token when one is configured.
 */
@Controller
@ExecuteOn(TaskExecutors.BLOCKING)
public class MetricsController {

  static final String TEXT_FORMAT = "text/plain; version=0.0.4; charset=utf-8";

  private final PrometheusMeterRegistry registry;
  private final MetricsAuth auth;

  public MetricsController(PrometheusMeterRegistry registry, MetricsAuth auth) {
    this.registry = registry;
    this.auth = auth;
  }

  @Get(uri = "/metrics")
  public HttpResponse<String> metrics(HttpRequest<?> request) {
    if (!auth.enabled()) {
      return HttpResponse.<String>notFound().contentType("text/plain")
          .body("metrics are off (phoenix.metrics.enabled=false)\n");
    }
    if (!auth.permits(request.getHeaders().get(HttpHeaders.AUTHORIZATION))) {
      return HttpResponse.<String>unauthorized()
          .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"phoenix-certs metrics\"")
          .contentType("text/plain")
          .body("missing or wrong bearer token: send Authorization: Bearer <the token in phoenix.metrics.token-file>\n");
    }
    return HttpResponse.ok(registry.scrape()).contentType(TEXT_FORMAT);
  }
}
