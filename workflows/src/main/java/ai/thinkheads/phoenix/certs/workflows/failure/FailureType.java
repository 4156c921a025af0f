package ai.thinkheads.phoenix.certs.workflows.failure;

import io.temporal.failure.ApplicationFailure;
import java.util.Arrays;
import java.util.Optional;

/**
 * Why a step failed, as one vocabulary for activities (which throw it) and workflows (which decide on it). The
 * {@link #type()} is what Temporal records as the failure's type; {@link #retryable()} says whether trying the
 * same call again can help.
 */
public enum FailureType {
  /** The name is not in this worker's inventory, or the calling workflow is not the one it assigns the name to. */
  NOT_IN_INVENTORY("NotInInventory", false),
  /** The inventory entry differs from the one the cycle started from: the cycle stops, the next starts afresh. */
  INVENTORY_CHANGED("InventoryChanged", false),
  /**
   * The ACME CA could not validate a challenge (it could not reach the guest's webroot, or found the wrong
   * answer there): it takes a fix to DNS, the web server or the webroot, not a retry.
   */
  CHALLENGE_FAILED("ChallengeFailed", false);

  private final String type;
  private final boolean retryable;

  FailureType(String type, boolean retryable) {
    this.type = type;
    this.retryable = retryable;
  }

  public String type() {
    return type;
  }

  public boolean retryable() {
    return retryable;
  }

  /** The failure to throw from an activity or workflow, retryable as this type says. */
  public ApplicationFailure failure(String message) {
    return retryable ? ApplicationFailure.newFailure(message, type)
        : ApplicationFailure.newNonRetryableFailure(message, type);
  }

  public boolean is(Throwable failure) {
    return failure instanceof ApplicationFailure app && type.equals(app.getType());
  }

  public static Optional<FailureType> of(String type) {
    return Arrays.stream(values()).filter(f -> f.type.equals(type)).findFirst();
  }
}
