package ai.thinkheads.phoenix.certs.activities.issuer.stepca;

import ai.thinkheads.phoenix.certs.activities.issuer.IssuerRejectedException;

/**
 * The step-ca refused to renew or rekey a certificate (revoked, renewal disabled, client certificate refused).
 * Non-retryable; with a new key the issuer falls back to the provisioner instead.
 */
public class RenewalRefusedException extends IssuerRejectedException {

  public RenewalRefusedException(String message) {
    super(message);
  }
}
