package ai.thinkheads.phoenix.certs.worker.reconcile;

import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateWorkflow;
import ai.thinkheads.phoenix.certs.workflows.reconcile.ReconcileInput;
import ai.thinkheads.phoenix.certs.workflows.reconcile.ReconcileWorkflow;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.schedules.Schedule;
import io.temporal.client.schedules.ScheduleActionStartWorkflow;
import io.temporal.client.schedules.ScheduleAlreadyRunningException;
import io.temporal.client.schedules.ScheduleClient;
import io.temporal.client.schedules.ScheduleIntervalSpec;
import io.temporal.client.schedules.ScheduleOptions;
import io.temporal.client.schedules.SchedulePolicy;
import io.temporal.client.schedules.ScheduleSpec;
import io.temporal.api.enums.v1.ScheduleOverlapPolicy;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that decides how reconciliation runs: from a Temporal Schedule on a real server, or, on the
 * embedded dev server or any server without Schedule RPCs, as a timer loop that continues as new.
 */
public final class ReconcileLauncher {

  private static final Logger log = LoggerFactory.getLogger(ReconcileLauncher.class);
  public static final String SCHEDULE_ID = "phoenix-certs-reconcile";

  private ReconcileLauncher() {}

  public static void start(WorkflowClient client, boolean embeddedServer, Duration interval) {
    if (embeddedServer) {
      startLoop(client, interval);
      return;
    }
    try {
      ensureSchedule(client, interval);
    } catch (RuntimeException e) {
      if (!unimplemented(e)) {
        throw e;
      }
      log.warn("reconcile: this Temporal server has no Schedules (a dev or test server?); using the timer loop");
      startLoop(client, interval);
    }
  }

  /** The server said it has no such RPC (ScheduleException wraps the gRPC status). */
  private static boolean unimplemented(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof StatusRuntimeException grpc && grpc.getStatus().getCode() == Status.Code.UNIMPLEMENTED) {
        return true;
      }
    }
    return false;
  }

  private static void startLoop(WorkflowClient client, Duration interval) {
    ReconcileWorkflow loop = client.newWorkflowStub(ReconcileWorkflow.class, options().build());
    try {
      WorkflowClient.start(loop::run, new ReconcileInput(interval, List.of()));
    } catch (WorkflowExecutionAlreadyStarted running) {
      // a loop runs already (a restarted worker on the same server): it makes a pass now instead
      client.newWorkflowStub(ReconcileWorkflow.class, ReconcileInput.WORKFLOW_ID).reconcileNow();
    }
    log.info("reconcile: timer loop every {} (embedded server: no Schedules)", interval);
  }

  private static void ensureSchedule(WorkflowClient client, Duration interval) {
    ScheduleClient schedules = ScheduleClient.newInstance(client.getWorkflowServiceStubs(),
        io.temporal.client.schedules.ScheduleClientOptions.newBuilder()
            .setNamespace(client.getOptions().getNamespace()).build());
    Schedule schedule = Schedule.newBuilder()
        .setAction(ScheduleActionStartWorkflow.newBuilder()
            .setWorkflowType(ReconcileWorkflow.class)
            .setArguments(new ReconcileInput(null, List.of()))
            .setOptions(options().build())
            .build())
        .setSpec(ScheduleSpec.newBuilder().setIntervals(List.of(new ScheduleIntervalSpec(interval))).build())
        .setPolicy(SchedulePolicy.newBuilder().setOverlap(ScheduleOverlapPolicy.SCHEDULE_OVERLAP_POLICY_SKIP).build())
        .build();
    try {
      schedules.createSchedule(SCHEDULE_ID, schedule, ScheduleOptions.newBuilder().setTriggerImmediately(true)
          .build());
      log.info("reconcile: Temporal Schedule {} every {}", SCHEDULE_ID, interval);
    } catch (ScheduleAlreadyRunningException exists) {
      schedules.getHandle(SCHEDULE_ID).trigger();
      log.info("reconcile: Temporal Schedule {} exists; triggered a pass now", SCHEDULE_ID);
    }
  }

  private static WorkflowOptions.Builder options() {
    return WorkflowOptions.newBuilder()
        .setWorkflowId(ReconcileInput.WORKFLOW_ID)
        .setTaskQueue(CertificateWorkflow.TASK_QUEUE)
        .setStaticSummary("Reconcile the inventory with the running certificate workflows");
  }
}
