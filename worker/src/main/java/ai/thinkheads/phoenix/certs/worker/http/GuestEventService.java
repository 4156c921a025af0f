package ai.thinkheads.phoenix.certs.worker.http;

import ai.thinkheads.phoenix.certs.activities.estate.Guest;
import ai.thinkheads.phoenix.certs.worker.inventory.InventorySnapshot;
import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateWorkflow;
import ai.thinkheads.phoenix.certs.workflows.guest.GuestOnboardingWorkflow;
import ai.thinkheads.phoenix.certs.workflows.guest.OnboardingRequest;
import ai.thinkheads.phoenix.certs.workflows.guest.TrustPlan;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.WorkflowIdConflictPolicy;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import jakarta.inject.Singleton;
import java.util.Optional;
import java.util.function.Supplier;
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

  private record Attached(WorkflowClient client, Supplier<InventorySnapshot> inventory) {}

  private volatile Attached attached;

  /** @param inventory the worker's inventory as it is at each event (a guest added to the file counts at once) */
  public void attach(WorkflowClient client, Supplier<InventorySnapshot> inventory) {
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
    InventorySnapshot inventory = engine.inventory().get();
    // a named guest (operator's request only): by its name or id, as the inventory lists it
    Optional<Guest> found = event.guest() != null ? inventory.guest(event.guest())
        : inventory.guests().stream().filter(g -> g.vmid() != null && g.vmid() == event.vmid()).findFirst();
    if (found.isEmpty()) {
      log.warn("event {} for {} from {}: not in the inventory {}; answered 422", event.phase(), event.subject(),
          event.node(), inventory.source());
      return Delivery.rejected(event.subject() + " is not in the inventory " + inventory.source()
          + "; add it under guests: (with kind, how to reach it and its trust stores) or detach the hookscript");
    }
    Guest guest = found.get();
    if (event.guest() == null && !"unknown".equals(event.kind()) && !event.kind().equals(guest.kind())) {
      return Delivery.rejected("vmid " + event.vmid() + " is " + guest.id() + " in the inventory, but Proxmox on "
          + event.node() + " reports a " + event.kind() + "; fix the inventory's kind (or a reused vmid)");
    }
    String problem = TemporalProbe.problemUnlessConnected(engine.client());
    if (problem != null) {
      return Delivery.unavailable(problem);
    }
    String workflowId = GuestOnboardingWorkflow.workflowIdFor(guest.id());
    GuestOnboardingWorkflow workflow = engine.client().newWorkflowStub(GuestOnboardingWorkflow.class,
        WorkflowOptions.newBuilder()
            .setWorkflowId(workflowId)
            .setTaskQueue(CertificateWorkflow.TASK_QUEUE)
            .setWorkflowIdConflictPolicy(WorkflowIdConflictPolicy.WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING)
            .setStaticSummary(new TrustPlan(guest.id(), guest.stores(), null).summary())
            .setStaticDetails("Started by: " + event.reason())
            .build());
    try {
      WorkflowExecution execution = WorkflowClient.start(workflow::onboard, new OnboardingRequest(event.reason()));
      log.info("{}: {} (run {})", workflowId, event.reason(), execution.getRunId());
      return Delivery.started(execution.getWorkflowId(), execution.getRunId());
    } catch (RuntimeException e) {
      if (TemporalProbe.isUnreachable(e)) {
        return Delivery.unavailable("Temporal did not answer: " + e.getMessage());
      }
      throw e;
    }
  }
}
