package ai.thinkheads.phoenix.certs.workflows.failure;

import io.temporal.failure.ApplicationErrorCategory;
import io.temporal.failure.ApplicationFailure;
import java.util.Arrays;
import java.util.Optional;

/**
 * Why a step failed: the one vocabulary of activities (which throw it) and workflows (which decide on it). The
 * {@link #type()} is what Temporal records as the failure's type and the CLI shows. {@link #retryable()} says
 * whether trying the same call again within seconds can help (Temporal retries those); {@link #needsChange()}
 * whether any later attempt can pass without an operator changing something (the inventory, a file it names, the
 * CA's configuration): those back off to the longest wait at once, and say what to change.
 */
public enum FailureType {
  /** The name is not in this worker's inventory, or the calling workflow is not the one it assigns the name to. */
  NOT_IN_INVENTORY("NotInInventory", false, true),
  /** The inventory entry differs from the one the cycle started from: the cycle stops, the next starts afresh. */
  INVENTORY_CHANGED("InventoryChanged", false, false),
  /** The inventory file does not validate. */
  INVALID_INVENTORY("InvalidInventory", false, true),
  /** A setting cannot work as written (a missing root file, an unreadable provisioner key, a bad option). */
  INVALID_SPEC("InvalidSpec", false, true),
  /** The inventory names a plugin type this worker does not have. */
  UNKNOWN_STEP_TYPE("UnknownStepType", false, true),
  /** The CA refused the request, or answered with a certificate we refuse (wrong names, subject, usage, key). */
  ISSUER_REJECTED("IssuerRejected", false, true),
  /** The CA's root is not the pinned one. */
  ISSUER_UNTRUSTED("IssuerUntrusted", false, true),
  /** The CA cannot be reached or failed inside (network, 5xx, 429): later it may work. */
  ISSUER_UNAVAILABLE("IssuerUnavailable", true, false),
  /** A password, provisioner or ssh key was refused. */
  AUTHENTICATION_FAILED("AuthenticationFailed", false, true),
  /** The guest's ssh host key is unknown or changed. */
  HOST_KEY_REJECTED("HostKeyRejected", false, true),
  /** The guest answered but refused the operation (permissions, a missing directory). */
  TRANSPORT_REFUSED("TransportRefused", false, false),
  /** The guest could not be reached (network, timeout): later it may work. */
  TRANSPORT_FAILED("TransportFailed", true, false),
  /** The target has no room for the files. */
  NO_SPACE("NoSpace", false, false),
  /** A command on the target exited non-zero (a reload, a docker restart, a trust store rebuild). */
  COMMAND_FAILED("CommandFailed", false, false),
  /** The service's configuration check refused the new pair (e.g. {@code nginx -t}). */
  VALIDATION_FAILED("ValidationFailed", false, false),
  /** The target does not hold or serve the certificate it should. */
  VERIFICATION_FAILED("VerificationFailed", false, false),
  /** The backup pair cannot be restored. */
  ROLLBACK_IMPOSSIBLE("RollbackImpossible", false, false),
  /** Onboarding a guest failed (the run's own failure; the step's reason is in its message). */
  ONBOARDING_FAILED("OnboardingFailed", false, false),
  /**
   * The ACME CA could not validate a challenge (it could not reach the guest's webroot, or found the wrong
   * answer there): it takes a fix to DNS, the web server or the webroot, not a retry.
   */
  CHALLENGE_FAILED("ChallengeFailed", false, true),
  /** The guest's coordinator is not running or did not answer (the next reconcile pass starts it). */
  COORDINATION_FAILED("CoordinationFailed", false, false),
  /** Anything else: a bug or an unforeseen condition, retried like a transient one. */
  UNEXPECTED("Unexpected", true, false);

  private final String type;
  private final boolean retryable;
  private final boolean needsChange;

  FailureType(String type, boolean retryable, boolean needsChange) {
    this.type = type;
    this.retryable = retryable;
    this.needsChange = needsChange;
  }

  public String type() {
    return type;
  }

  public boolean retryable() {
    return retryable;
  }

  public boolean needsChange() {
    return needsChange;
  }

  /**
   * The failure to throw from an activity or workflow, retryable as this type says. Ours are expected outcomes
   * that the workflow reports itself, so they are benign to Temporal (its SDK logs them at debug, not with a stack
   * trace per attempt); only {@link #UNEXPECTED} is not.
   */
  public ApplicationFailure failure(String message) {
    return failure(message, null);
  }

  /** As {@link #failure(String)}, asking Temporal to wait {@code nextRetryDelay} before the next attempt. */
  public ApplicationFailure failure(String message, java.time.Duration nextRetryDelay) {
    ApplicationFailure.Builder failure = ApplicationFailure.newBuilder().setMessage(message).setType(type)
        .setNonRetryable(!retryable)
        .setCategory(this == UNEXPECTED ? ApplicationErrorCategory.UNSPECIFIED : ApplicationErrorCategory.BENIGN);
    if (nextRetryDelay != null) {
      failure.setNextRetryDelay(nextRetryDelay);
    }
    return failure.build();
  }

  public boolean is(Throwable failure) {
    return failure instanceof ApplicationFailure app && type.equals(app.getType());
  }

  public static Optional<FailureType> of(String type) {
    return Arrays.stream(values()).filter(f -> f.type.equals(type)).findFirst();
  }

  /** The type of a failure as Temporal reports it; {@link #UNEXPECTED} for anything not of ours. */
  public static FailureType of(Throwable failure) {
    return failure instanceof ApplicationFailure app ? of(app.getType()).orElse(UNEXPECTED) : UNEXPECTED;
  }

  /** The types a retry policy must not retry: derived from the vocabulary, never listed by hand. */
  public static String[] nonRetryable() {
    return Arrays.stream(values()).filter(f -> !f.retryable).map(FailureType::type).toArray(String[]::new);
  }
}
