package ai.thinkheads.phoenix.certs.worker.http;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code POST /events/guest}: a Proxmox guest event starts (or joins) {@code guest/<vmid>}. 202 started or
 * joined, 200 ignored phase, 400 bad event, 401 (the filter), 413 too large (the server's max-request-size),
 * 422 not in the inventory, 503 with Retry-After when Temporal is unreachable.
 */
@Controller
@ExecuteOn(TaskExecutors.BLOCKING) // starting a workflow is a blocking gRPC call: keep it off the event loop
public class EventsController {

  static final String RETRY_AFTER_SECONDS = "10";

  private final GuestEventService service;

  public EventsController(GuestEventService service) {
    this.service = service;
  }

  @Post(uri = "/events/guest", consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
  public HttpResponse<Map<String, Object>> guest(@Body @Nullable String body) {
    GuestEvent event;
    try {
      event = GuestEvent.parse(body);
    } catch (BadEventException e) {
      return HttpResponse.badRequest(error(e.getMessage()));
    }
    Delivery delivery = service.deliver(event);
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("outcome", delivery.outcome().name().toLowerCase());
    answer.put("message", delivery.message());
    if (delivery.workflowId() != null) {
      answer.put("workflowId", delivery.workflowId());
      answer.put("runId", delivery.runId());
    }
    return switch (delivery.outcome()) {
      case STARTED -> HttpResponse.accepted().body(answer);
      case IGNORED -> HttpResponse.ok(answer);
      case REJECTED -> HttpResponse.unprocessableEntity().body(error(delivery.message()));
      case UNAVAILABLE -> HttpResponse.<Map<String, Object>>serverError(error(delivery.message()))
          .status(503).header("Retry-After", RETRY_AFTER_SECONDS);
    };
  }

  static Map<String, Object> error(String message) {
    return Map.of("error", message);
  }
}
