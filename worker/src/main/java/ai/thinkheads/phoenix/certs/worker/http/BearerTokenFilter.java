package ai.thinkheads.phoenix.certs.worker.http;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import java.util.Map;

/**
 * Every {@code /events/**}, {@code /status} and {@code /audit} request needs {@code Authorization: Bearer <token>}
 * (status and the audit map the estate: guests, paths, what each serves); /health does not, /metrics has its own.
 */
@ServerFilter({"/events/**", "/status", "/audit"})
public class BearerTokenFilter {

  private final EventsAuth auth;

  public BearerTokenFilter(EventsAuth auth) {
    this.auth = auth;
  }

  /** Null lets the request through; a response answers it here. */
  @RequestFilter
  @Nullable
  public HttpResponse<?> authenticate(HttpRequest<?> request) {
    if (!auth.on()) {
      // the server runs for /metrics alone
      return HttpResponse.notFound(Map.of("error", "the events endpoint, /status and /audit are off: set phoenix.events.token-file "
          + "(PHOENIX_EVENTS_TOKEN_FILE) and phoenix.events.enabled=true"));
    }
    if (auth.permits(request.getHeaders().get(HttpHeaders.AUTHORIZATION))) {
      return null;
    }
    return HttpResponse.unauthorized()
        .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"phoenix-certs\"")
        .body(Map.of("error", "missing or wrong bearer token: send Authorization: Bearer <the token in "
            + "phoenix.events.token-file>"));
  }
}
