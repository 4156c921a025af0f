package ai.thinkheads.phoenix.certs.worker.http;

/** The events endpoint cannot run as configured; the message says what to change. */
public final class EventsConfigException extends RuntimeException {

  public EventsConfigException(String message) {
    super(message);
  }

  public EventsConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}
