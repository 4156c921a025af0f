package ai.thinkheads.phoenix.certs.worker.http;

import ai.thinkheads.phoenix.certs.worker.inventory.CaSettings;
import ai.thinkheads.phoenix.certs.worker.inventory.Guest;
import ai.thinkheads.phoenix.certs.worker.inventory.Inventory;
import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateWorkflow;
import ai.thinkheads.phoenix.certs.workflows.guest.GuestOnboardingInput;
import ai.thinkheads.phoenix.certs.workflows.guest.GuestOnboardingWorkflow;
import ai.thinkheads.phoenix.certs.workflows.guest.TrustTarget;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.WorkflowIdConflictPolicy;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a guest event into a {@code guest/<vmid>} onboarding run. Started with USE_EXISTING, so a burst of
 * events for one guest (ten quick restarts, a spooled copy delivered twice) joins the run in progress.
 * Used by the HTTP endpoint and by the spool delivery at start-up; answers UNAVAILABLE until the engine is
 * attached.
 */
@Singleton
public class GuestEventService {

  private static final Logger log = LoggerFactory.getLogger(GuestEventService.class);

  private record Attached(WorkflowClient client, Inventory inventory) {}

  private volatile Attached attached;

  public void attach(WorkflowClient client, Inventory inventory) {
    attached = new Attached(client, inventory);
  }

  /** Null when the engine is attached and Temporal answers; else why not. */
  public String temporalProblem() {
    Attached engine = attached;
    return engine == null ? "the engine is starting" : TemporalProbe.problem(engine.client());
  }

  public Delivery deliver(GuestEvent event) {
    Attached engine = attached;
    if (engine == null) {
      return Delivery.unavailable("the engine is starting; retry shortly");
    }
    if (!event.startsOnboarding()) {
      return Delivery.ignored("phase " + event.phase() + ": nothing to do");
    }
    Optional<Guest> found = engine.inventory().guests().stream()
        .filter(g -> g.vmid() != null && g.vmid() == event.vmid()).findFirst();
    if (found.isEmpty()) {
      return Delivery.rejected("vmid " + event.vmid() + " is not in the inventory " + engine.inventory().source()
          + "; add it under guests: (with kind, how to reach it and its trust stores) or detach the hookscript");
    }
    Guest guest = found.get();
    if (!"unknown".equals(event.kind()) && !event.kind().equals(guest.kind())) {
      return Delivery.rejected("vmid " + event.vmid() + " is " + guest.id() + " in the inventory, but Proxmox on "
          + event.node() + " reports a " + event.kind() + "; fix the inventory's kind (or a reused vmid)");
    }
    String problem = TemporalProbe.problemUnlessConnected(engine.client());
    if (problem != null) {
      return Delivery.unavailable(problem);
    }
    GuestOnboardingInput input = input(guest, engine.inventory().ca(), event.reason());
    GuestOnboardingWorkflow workflow = engine.client().newWorkflowStub(GuestOnboardingWorkflow.class,
        WorkflowOptions.newBuilder()
            .setWorkflowId(input.workflowId())
            .setTaskQueue(CertificateWorkflow.TASK_QUEUE)
            .setWorkflowIdConflictPolicy(WorkflowIdConflictPolicy.WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING)
            .setStaticSummary(input.summary())
            .setStaticDetails("Started by: " + event.reason())
            .build());
    try {
      WorkflowExecution execution = WorkflowClient.start(workflow::onboard, input);
      log.info("{}: {} (run {})", input.workflowId(), event.reason(), execution.getRunId());
      return Delivery.started(execution.getWorkflowId(), execution.getRunId());
    } catch (RuntimeException e) {
      if (TemporalProbe.isUnreachable(e)) {
        return Delivery.unavailable("Temporal did not answer: " + e.getMessage());
      }
      throw e;
    }
  }

  /**
   * The onboarding input for a guest. No trust stores listed means the contract's default (the system store);
   * a CA with a URL is proved with a real TLS call to its /health.
   */
  static GuestOnboardingInput input(Guest guest, CaSettings ca, String reason) {
    List<TrustTarget> trust = guest.trust().isEmpty() ? null
        : guest.trust().stream().map(TrustTarget::of).toList();
    String health = ca.url() == null ? null : ca.url().replaceAll("/+$", "") + "/health";
    return new GuestOnboardingInput(guest.target(), trust, health, null, reason);
  }
}
