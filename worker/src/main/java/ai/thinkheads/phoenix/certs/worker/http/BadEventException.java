package ai.thinkheads.phoenix.certs.worker.http;

/** An event that can never be delivered as sent: answered 400, and not worth retrying. */
public final class BadEventException extends RuntimeException {

  public BadEventException(String message) {
    super(message);
  }
}
