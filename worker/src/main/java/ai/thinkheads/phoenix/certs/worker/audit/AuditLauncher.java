package ai.thinkheads.phoenix.certs.worker.audit;

import ai.thinkheads.phoenix.certs.workflows.audit.AuditRequest;
import ai.thinkheads.phoenix.certs.workflows.audit.AuditWorkflow;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.enums.v1.ScheduleOverlapPolicy;
import io.temporal.api.enums.v1.WorkflowIdConflictPolicy;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.schedules.Schedule;
import io.temporal.client.schedules.ScheduleActionStartWorkflow;
import io.temporal.client.schedules.ScheduleAlreadyRunningException;
import io.temporal.client.schedules.ScheduleClient;
import io.temporal.client.schedules.ScheduleClientOptions;
import io.temporal.client.schedules.ScheduleIntervalSpec;
import io.temporal.client.schedules.SchedulePolicy;
import io.temporal.client.schedules.ScheduleSpec;
import io.temporal.client.schedules.ScheduleUpdate;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How the daily audit runs, by the same rule as reconcile: a Temporal Schedule ({@code phoenix-certs-audit}) on a
 * real server, or on the embedded server (or one without Schedules) the {@code audit} workflow's own timer loop.
 */
public final class AuditLauncher {

  private static final Logger log = LoggerFactory.getLogger(AuditLauncher.class);
  public static final String SCHEDULE_ID = "phoenix-certs-audit";

  private AuditLauncher() {}

  /** Returns the loop's interval, or null when a Temporal Schedule starts the audits. */
  public static Duration start(WorkflowClient client, String taskQueue, boolean embeddedServer, Duration interval) {
    if (!embeddedServer) {
      try {
        ensureSchedule(client, taskQueue, interval);
        return null;
      } catch (RuntimeException e) {
        if (!unimplemented(e)) {
          throw e;
        }
        log.warn("audit: this Temporal server has no Schedules; using the timer loop");
      }
    }
    AuditWorkflow loop = client.newWorkflowStub(AuditWorkflow.class, options(taskQueue).build());
    try {
      WorkflowClient.start(loop::run, AuditRequest.of(AuditRequest.WORKER_START));
    } catch (WorkflowExecutionAlreadyStarted running) {
      // a loop runs already (a restarted worker on the same server)
    }
    log.info("audit: timer loop every {} (no Temporal Schedules here)", interval);
    return interval;
  }

  /**
   * Trust converges from the start: every listed guest's trust stores are read now (workflow {@code audit-trust},
   * the audit's trust source only) and each guest lacking the root is onboarded, whether or not a hookscript ever
   * reports it (the Proxmox host, a guest running since before this worker). A check still running (a restart in
   * quick succession) is joined.
   */
  public static void checkTrust(WorkflowClient client, String taskQueue) {
    AuditWorkflow check = client.newWorkflowStub(AuditWorkflow.class, WorkflowOptions.newBuilder()
        .setWorkflowId(AuditRequest.TRUST_CHECK_ID)
        .setTaskQueue(taskQueue)
        .setWorkflowIdConflictPolicy(WorkflowIdConflictPolicy.WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING)
        .setStaticSummary("Check every listed guest's trust stores at worker start; onboard those lacking the root")
        .build());
    WorkflowClient.start(check::run, AuditRequest.of(AuditRequest.TRUST_CHECK));
    log.info("audit: checking every listed guest's trust ({})", AuditRequest.TRUST_CHECK_ID);
  }

  private static void ensureSchedule(WorkflowClient client, String taskQueue, Duration interval) {
    ScheduleClient schedules = ScheduleClient.newInstance(client.getWorkflowServiceStubs(),
        ScheduleClientOptions.newBuilder().setNamespace(client.getOptions().getNamespace()).build());
    Schedule schedule = Schedule.newBuilder()
        .setAction(ScheduleActionStartWorkflow.newBuilder()
            .setWorkflowType(AuditWorkflow.class)
            .setArguments(AuditRequest.of("schedule"))
            .setOptions(options(taskQueue).build())
            .build())
        .setSpec(ScheduleSpec.newBuilder().setIntervals(List.of(new ScheduleIntervalSpec(interval))).build())
        .setPolicy(SchedulePolicy.newBuilder().setOverlap(ScheduleOverlapPolicy.SCHEDULE_OVERLAP_POLICY_SKIP).build())
        .build();
    try {
      schedules.createSchedule(SCHEDULE_ID, schedule, io.temporal.client.schedules.ScheduleOptions.newBuilder()
          .build());
      log.info("audit: Temporal Schedule {} every {}", SCHEDULE_ID, interval);
    } catch (ScheduleAlreadyRunningException exists) {
      schedules.getHandle(SCHEDULE_ID).update(input -> new ScheduleUpdate(schedule));
      log.info("audit: Temporal Schedule {} exists; updated it", SCHEDULE_ID);
    }
  }

  private static boolean unimplemented(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof StatusRuntimeException grpc && grpc.getStatus().getCode() == Status.Code.UNIMPLEMENTED) {
        return true;
      }
    }
    return false;
  }

  static WorkflowOptions.Builder options(String taskQueue) {
    return WorkflowOptions.newBuilder()
        .setWorkflowId(AuditRequest.WORKFLOW_ID)
        .setTaskQueue(taskQueue)
        .setStaticSummary("Audit the estate's certificates (facts, findings, report)");
  }
}
