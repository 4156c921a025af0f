package ai.thinkheads.phoenix.certs.workflows.certificate;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/**
 * The steps of a certificate's life, each one thing on one target and safe to retry. They take the certificate's
 * name (and the digest of the inventory entry its cycle started from) and nothing else that says what to do:
 * each looks the certificate up in the worker's own inventory, and refuses a name it does not hold, or a call
 * from any workflow but {@code cert/<name>}, before touching anything. Inputs and results are stored in history:
 * none of them carries a private key or a password.
 */
@ActivityInterface
public interface CertificateActivities {

  /** Reads what the target holds now, and the inventory's policy for the certificate. Changes nothing. */
  @ActivityMethod
  Inspection inspect(String name);

  /** Makes a new key, has the issuer sign it, and writes both next to the live files (".staged"). */
  @ActivityMethod
  StagedCertificate issueAndStage(CertificateRef certificate);

  /**
   * Swaps the staged pair with serial {@code serial} into place atomically, keeping the pair it replaces as the
   * rollback point ({@code <file>.previous}) until the cycle settles.
   */
  @ActivityMethod
  ActivationResult activate(CertificateRef certificate, String serial);

  /** Checks the service's configuration with the new pair in place (e.g. {@code nginx -t}). */
  @ActivityMethod
  StepResult validate(CertificateRef certificate);

  /** Makes the service pick up the pair in place. */
  @ActivityMethod
  StepResult reload(CertificateRef certificate);

  /** Proves the certificate with {@code expectedSerial} is what the target now holds or serves. */
  @ActivityMethod
  StepResult verify(CertificateRef certificate, String expectedSerial);

  /**
   * The new pair is verified: the pair it replaced becomes the backup ({@code <file>.bak}), so the backup is
   * always the last good pair other than the live one.
   */
  @ActivityMethod
  void settle(CertificateRef certificate);

  /** Removes a staged pair a failed attempt left (nothing of a failed attempt stays on the target). */
  @ActivityMethod
  void discardStaged(CertificateRef certificate);

  /**
   * Asks the CA to revoke the certificate with {@code serial} that the target holds (live or as the backup),
   * e.g. the one a renewal replaced; returns the serial revoked.
   */
  @ActivityMethod
  String revoke(CertificateRef certificate, String serial);

  /**
   * Restores the pair this cycle replaced (its rollback point); returns the serial restored, or null when there
   * was none. The backup ({@code .bak}) is left as it is. Like every step, only on the inventory entry the cycle
   * started from: where the entry changed meanwhile, the next cycle (started at once by the change) deploys a
   * pair for the new entry instead.
   */
  @ActivityMethod
  String rollback(CertificateRef certificate);
}
