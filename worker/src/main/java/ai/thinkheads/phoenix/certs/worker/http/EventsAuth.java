package ai.thinkheads.phoenix.certs.worker.http;

import jakarta.inject.Singleton;

/** Holds the token the endpoint accepts; until one is set (the server is not started before), nothing passes. */
@Singleton
public class EventsAuth {

  private volatile BearerToken token;

  void use(BearerToken bearerToken) {
    this.token = bearerToken;
  }

  /** False while the events endpoint is off (disabled, or {@code run} without a token file). */
  boolean on() {
    return token != null;
  }

  boolean permits(String authorization) {
    BearerToken current = token;
    return current != null && current.matches(authorization);
  }
}
