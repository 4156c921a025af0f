package ai.thinkheads.phoenix.certs.activities.estate;

import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateRef;
import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateWorkflow;
import ai.thinkheads.phoenix.certs.workflows.coordination.GuestPairsWorkflow;
import ai.thinkheads.phoenix.certs.workflows.failure.FailureType;
import ai.thinkheads.phoenix.certs.workflows.guest.GuestOnboardingWorkflow;
import ai.thinkheads.phoenix.certs.workflows.model.CertificateSpec;
import io.temporal.activity.Activity;
import io.temporal.failure.ApplicationFailure;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where every acting step gets what it may do: the worker's current inventory, looked up by name, for the one
 * workflow the inventory assigns that name to. Anything else is refused, non-retryably, before anything is
 * touched, and logged as a warning with the workflow that asked: whoever can start or signal workflows can
 * nudge a listed certificate, never make the worker act on anything else.
 */
public final class Authority {

  private static final Logger log = LoggerFactory.getLogger(Authority.class);

  private final Supplier<? extends Estate> estates;

  public Authority(Supplier<? extends Estate> estates) {
    this.estates = estates;
  }

  /** The inventory as it is now; an activity takes it once and works on that snapshot throughout. */
  public Estate estate() {
    return estates.get();
  }

  /** The certificate {@code name}, for {@code cert/<name>} only. */
  public CertificateSpec certificate(Estate estate, String name) {
    requireCaller(CertificateWorkflow.workflowIdFor(name), "certificate " + name);
    return listed(estate, name);
  }

  /** The certificate {@code ref} names, as long as its entry is still the one the cycle started from. */
  public CertificateSpec certificate(Estate estate, CertificateRef ref) {
    requireCaller(CertificateWorkflow.workflowIdFor(ref.name()), "certificate " + ref.name());
    return current(estate, ref);
  }

  /**
   * The same, for the coordinator of the certificate's guest ({@code pairs/<guest>}), which runs reloads for the
   * certificates renewed together there; no other workflow.
   */
  public CertificateSpec certificateForGuest(Estate estate, CertificateRef ref) {
    requireCaller(GuestPairsWorkflow.workflowIdFor(listed(estate, ref.name()).target().guestId()), "certificate "
        + ref.name() + "'s reload");
    return current(estate, ref);
  }

  private static CertificateSpec listed(Estate estate, String name) {
    return estate.certificate(name).orElseThrow(() -> refuse(CertificateWorkflow.workflowIdFor(name)
        + " is not in this worker's inventory (" + estate.source() + ")"));
  }

  private CertificateSpec current(Estate estate, CertificateRef ref) {
    CertificateSpec spec = listed(estate, ref.name());
    String now = estate.digest(ref.name());
    if (!java.util.Objects.equals(ref.digest(), now)) {
      String message = CertificateWorkflow.workflowIdFor(ref.name()) + ": this worker's inventory entry ("
          + estate.source() + ", digest " + now + ") is not the one this cycle started from (digest " + ref.digest()
          + "); the inventory changed, or another worker with another inventory shares this namespace";
      log.warn("refused: {}", message);
      throw FailureType.INVENTORY_CHANGED.failure(message);
    }
    return spec;
  }

  /** The guest listed as {@code ref} (vmid or name), for {@code guest/<ref>} only. */
  public Guest guest(Estate estate, String ref) {
    requireCaller(GuestOnboardingWorkflow.workflowIdFor(String.valueOf(ref)), "guest " + ref);
    return estate.guest(ref).orElseThrow(() -> refuse("guest " + ref + " is not in this worker's inventory ("
        + estate.source() + ")"));
  }

  /**
   * Refuses unless the calling workflow is {@code workflowId}. Outside an activity (a direct call from the
   * worker's own code or a test) there is no caller to check.
   */
  public static void requireCaller(String workflowId, String what) {
    String caller = caller();
    if (caller != null && !caller.equals(workflowId)) {
      throw refuse(caller + " asked for " + what + ", which this worker's inventory assigns to " + workflowId
          + " only");
    }
  }

  private static String caller() {
    try {
      return Activity.getExecutionContext().getInfo().getWorkflowId();
    } catch (RuntimeException | Error notInAnActivity) {
      return null;
    }
  }

  private static ApplicationFailure refuse(String message) {
    String caller = caller();
    log.warn("refused{}: {}", caller == null ? "" : " " + caller, message);
    return FailureType.NOT_IN_INVENTORY.failure(message);
  }
}
