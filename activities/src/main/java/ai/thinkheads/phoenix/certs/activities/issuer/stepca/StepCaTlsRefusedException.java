package ai.thinkheads.phoenix.certs.activities.issuer.stepca;

/**
 * The TLS handshake with the step-ca failed on trust, not on the network: its certificate does not chain to the
 * pinned root, or it refused our client certificate (expired, revoked, from another CA). Retrying cannot help.
 */
public class StepCaTlsRefusedException extends RuntimeException {

  public StepCaTlsRefusedException(String message, Throwable cause) {
    super(message, cause);
  }
}
