package ai.thinkheads.phoenix.certs.workflows.certificate;

import ai.thinkheads.phoenix.certs.workflows.model.CertificateSpec;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/**
 * The steps of a certificate's life, each one thing on one target and safe to retry. Inputs and results are
 * stored in history: none of them carries a private key or a password.
 */
@ActivityInterface
public interface CertificateActivities {

  /** Reads what the target holds now: the certificate's facts, and whether the key file matches it. */
  @ActivityMethod
  TargetState inspect(CertificateSpec spec);

  /** Makes a new key, has the issuer sign it, and writes both next to the live files (".staged"). */
  @ActivityMethod
  StagedCertificate issueAndStage(CertificateSpec spec);

  /** Swaps the staged pair into place atomically, keeping the previous pair as the backup. */
  @ActivityMethod
  ActivationResult activate(CertificateSpec spec, StagedCertificate staged);

  /** Checks the service's configuration with the new pair in place (e.g. {@code nginx -t}). */
  @ActivityMethod
  StepResult validate(CertificateSpec spec);

  /** Makes the service pick up the new pair. */
  @ActivityMethod
  StepResult reload(CertificateSpec spec);

  /** Proves the expected certificate is what the target now holds or serves. */
  @ActivityMethod
  StepResult verify(CertificateSpec spec, String expectedSerial);

  /**
   * Asks the CA to revoke the certificate with {@code serial} that the target holds (live or as the backup),
   * e.g. the one a renewal replaced; returns the serial revoked.
   */
  @ActivityMethod
  String revoke(CertificateSpec spec, String serial);

  /** Restores the backup pair; returns the serial restored, or null when there was none to restore. */
  @ActivityMethod
  String rollback(CertificateSpec spec);
}
