package ai.thinkheads.phoenix.certs.worker.http;

import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateStatus;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /status} (bearer token, as {@code /events/**}): every certificate's status from the worker's
 * projection, for {@code phoenix-certs status} where Temporal cannot list workflows (the embedded dev server).
 * Reads memory only: 10,000 certificates answer in milliseconds and cost the workflows nothing. 503 with
 * Retry-After while the engine starts.
 */
@Controller
public class StatusController {

  private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

  private final StatusService service;

  public StatusController(StatusService service) {
    this.service = service;
  }

  @Get(uri = "/status", produces = MediaType.APPLICATION_JSON)
  public HttpResponse<String> status() throws JsonProcessingException {
    StatusService.Attached engine = service.attached();
    if (engine == null) {
      return HttpResponse.<String>status(HttpStatus.SERVICE_UNAVAILABLE)
          .header("Retry-After", EventsController.RETRY_AFTER_SECONDS)
          .body(JSON.writeValueAsString(EventsController.error("the engine is starting; retry shortly")));
    }
    List<CertificateStatus> certificates = engine.statuses().all();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("inventory", engine.inventory().get().source());
    body.put("problems", engine.inventory().problems());
    body.put("certificates", certificates);
    return HttpResponse.ok(JSON.writeValueAsString(body));
  }
}
