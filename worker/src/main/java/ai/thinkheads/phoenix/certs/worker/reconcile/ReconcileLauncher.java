package ai.thinkheads.phoenix.certs.worker.reconcile;

import ai.thinkheads.phoenix.certs.worker.engine.LegacyRuns;
import ai.thinkheads.phoenix.certs.workflows.reconcile.ReconcileRequest;
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

  /**
   * Starts reconciling every {@code interval} on task queue {@code taskQueue}; returns the loop's interval, or
   * null when a Temporal Schedule starts the passes (the worker's reconcile activity tells the workflow which).
   */
  public static Duration start(WorkflowClient client, String taskQueue, boolean embeddedServer, Duration interval) {
    if (embeddedServer) {
      startLoop(client, taskQueue, interval);
      return interval;
    }
    try {
      ensureSchedule(client, taskQueue, interval);
      return null;
    } catch (RuntimeException e) {
      if (!unimplemented(e)) {
        throw e;
      }
      log.warn("reconcile: this Temporal server has no Schedules (a dev or test server?); using the timer loop");
      startLoop(client, taskQueue, interval);
      return interval;
    }
  }

  /** A pass now: the inventory changed (file watch, SIGHUP). */
  public static void passNow(WorkflowClient client) {
    try {
      client.newWorkflowStub(ReconcileWorkflow.class, ReconcileRequest.WORKFLOW_ID).reconcileNow();
    } catch (RuntimeException e) {
      log.warn("reconcile: could not ask for a pass now ({}); the next pass applies the change", e.getMessage());
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

  private static void startLoop(WorkflowClient client, String taskQueue, Duration interval) {
    if (!startOnce(client, taskQueue)) {
      LegacyRuns.Running run = LegacyRuns.running(client, ReconcileRequest.WORKFLOW_ID, null);
      if (run != null && !ReconcileWorkflow.TYPE.equals(run.type())) {
        LegacyRuns.terminate(client, ReconcileRequest.WORKFLOW_ID, run.type());
        startOnce(client, taskQueue);
      } else {
        // a loop runs already (a restarted worker on the same server): it makes a pass now instead
        passNow(client);
      }
    }
    log.info("reconcile: timer loop every {} (no Temporal Schedules here)", interval);
  }

  private static boolean startOnce(WorkflowClient client, String taskQueue) {
    ReconcileWorkflow loop = client.newWorkflowStub(ReconcileWorkflow.class, options(taskQueue).build());
    try {
      WorkflowClient.start(loop::run, new ReconcileRequest("worker start"));
      return true;
    } catch (WorkflowExecutionAlreadyStarted running) {
      return false;
    }
  }

  private static void ensureSchedule(WorkflowClient client, String taskQueue, Duration interval) {
    ScheduleClient schedules = ScheduleClient.newInstance(client.getWorkflowServiceStubs(),
        io.temporal.client.schedules.ScheduleClientOptions.newBuilder()
            .setNamespace(client.getOptions().getNamespace()).build());
    Schedule schedule = Schedule.newBuilder()
        .setAction(ScheduleActionStartWorkflow.newBuilder()
            .setWorkflowType(ReconcileWorkflow.class)
            .setArguments(new ReconcileRequest("schedule"))
            .setOptions(options(taskQueue).build())
            .build())
        .setSpec(ScheduleSpec.newBuilder().setIntervals(List.of(new ScheduleIntervalSpec(interval))).build())
        .setPolicy(SchedulePolicy.newBuilder().setOverlap(ScheduleOverlapPolicy.SCHEDULE_OVERLAP_POLICY_SKIP).build())
        .build();
    try {
      schedules.createSchedule(SCHEDULE_ID, schedule, ScheduleOptions.newBuilder().setTriggerImmediately(true)
          .build());
      log.info("reconcile: Temporal Schedule {} every {}", SCHEDULE_ID, interval);
    } catch (ScheduleAlreadyRunningException exists) {
      // the schedule of an older worker may start another workflow type or arguments: make it this worker's
      schedules.getHandle(SCHEDULE_ID).update(input -> new io.temporal.client.schedules.ScheduleUpdate(schedule));
      schedules.getHandle(SCHEDULE_ID).trigger();
      log.info("reconcile: Temporal Schedule {} exists; updated it and triggered a pass now", SCHEDULE_ID);
    }
  }

  private static WorkflowOptions.Builder options(String taskQueue) {
    return WorkflowOptions.newBuilder()
        .setWorkflowId(ReconcileRequest.WORKFLOW_ID)
        .setTaskQueue(taskQueue)
        .setStaticSummary("Reconcile the inventory with the running certificate workflows");
  }
}
