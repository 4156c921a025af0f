package ai.thinkheads.phoenix.certs.worker.http;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.util.Map;

/** {@code GET /health}: 200 {"status":"UP"} when Temporal answers, 503 {"status":"DOWN"} otherwise. No token. */
@Controller
@ExecuteOn(TaskExecutors.BLOCKING)
public class HealthController {

  private final GuestEventService service;

  public HealthController(GuestEventService service) {
    this.service = service;
  }

  @Get(uri = "/health", produces = MediaType.APPLICATION_JSON)
  public HttpResponse<Map<String, String>> health() {
    String problem = service.temporalProblem();
    if (problem == null) {
      return HttpResponse.ok(Map.of("status", "UP"));
    }
    return HttpResponse.<Map<String, String>>status(HttpStatus.SERVICE_UNAVAILABLE)
        .header("Retry-After", EventsController.RETRY_AFTER_SECONDS)
        .body(Map.of("status", "DOWN", "reason", problem));
  }
}
