package ai.thinkheads.phoenix.certs.worker.http;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import java.util.Map;

/** Every {@code /events/**} and {@code /status} request needs {@code Authorization: Bearer <token>}; /health does not. */
@ServerFilter({"/events/**", "/status"})
public class BearerTokenFilter {

  private final EventsAuth auth;

  public BearerTokenFilter(EventsAuth auth) {
    this.auth = auth;
  }

  /** Null lets the request through; a response answers it here. */
  @RequestFilter
  @Nullable
  public HttpResponse<?> authenticate(HttpRequest<?> request) {
    if (auth.permits(request.getHeaders().get(HttpHeaders.AUTHORIZATION))) {
      return null;
    }
    return HttpResponse.unauthorized()
        .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"phoenix-certs\"")
        .body(Map.of("error", "missing or wrong bearer token: send Authorization: Bearer <the token in "
            + "phoenix.events.token-file>"));
  }
}
