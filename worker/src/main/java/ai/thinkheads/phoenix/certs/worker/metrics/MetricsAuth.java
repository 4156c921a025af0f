package ai.thinkheads.phoenix.certs.worker.metrics;

import ai.thinkheads.phoenix.certs.worker.http.BearerToken;
import jakarta.inject.Singleton;

/**
 * Whether {@code /metrics} answers, and to whom: off until the server starts with metrics enabled; then open, or,
 * with {@code phoenix.metrics.token-file}, to that token only (a token of its own, not the events token: a
 * Prometheus that may read metrics may not start onboardings).
 */
@Singleton
public class MetricsAuth {

  private volatile boolean enabled;
  private volatile BearerToken token;

  public void enable(BearerToken bearerToken) {
    this.token = bearerToken;
    this.enabled = true;
  }

  boolean enabled() {
    return enabled;
  }

  boolean permits(String authorization) {
    BearerToken current = token;
    return current == null || current.matches(authorization);
  }
}
