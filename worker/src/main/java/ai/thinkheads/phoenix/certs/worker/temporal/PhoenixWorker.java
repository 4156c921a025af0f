package ai.thinkheads.phoenix.certs.worker.temporal;

import ai.thinkheads.phoenix.certs.activities.rotation.RotationActivitiesImpl;
import ai.thinkheads.phoenix.certs.workflows.rotation.RotationWorkflowImpl;
import ai.thinkheads.phoenix.certs.activities.certificate.CertificateActivitiesImpl;
import ai.thinkheads.phoenix.certs.activities.coordination.CoordinatorActivitiesImpl;
import ai.thinkheads.phoenix.certs.activities.estate.Authority;
import ai.thinkheads.phoenix.certs.activities.plugin.PluginRegistry;
import ai.thinkheads.phoenix.certs.activities.trust.TrustActivitiesImpl;
import ai.thinkheads.phoenix.certs.workflows.audit.AuditWorkflowImpl;
import ai.thinkheads.phoenix.certs.worker.status.StatusInterceptor;
import ai.thinkheads.phoenix.certs.worker.status.StatusProjection;
import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateWorkflowImpl;
import ai.thinkheads.phoenix.certs.workflows.coordination.GuestPairsWorkflowImpl;
import ai.thinkheads.phoenix.certs.workflows.model.Durations;
import ai.thinkheads.phoenix.certs.workflows.guest.GuestOnboardingWorkflowImpl;
import ai.thinkheads.phoenix.certs.workflows.reconcile.ReconcileActivities;
import ai.thinkheads.phoenix.certs.workflows.reconcile.ReconcileWorkflowImpl;
import io.temporal.client.WorkflowClient;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerFactoryOptions;
import io.temporal.worker.WorkerOptions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Registers the workflows and activities on task queue {@code phoenix-certs}; only wires, decides nothing. */
public final class PhoenixWorker implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(PhoenixWorker.class);
  /**
   * Cached workflows each hold a thread; a small cache keeps a 500-certificate estate well inside 512 MiB.
   * PHOENIX_WORKFLOW_CACHE overrides it (more speed for more memory).
   */
  static final int WORKFLOW_CACHE = Integer.parseInt(System.getenv().getOrDefault("PHOENIX_WORKFLOW_CACHE", "64"));

  /**
   * How long a workflow task waits for the worker that has the workflow cached before any worker may take it.
   * A real Temporal server times this out (5 s by default) and hands the task to another worker; Temporal's Java
   * test server never does, so several worker processes sharing one set PHOENIX_STICKY_TIMEOUT=0s, which turns
   * sticky execution off and lets a restarted worker take over a killed one's workflows.
   */
  static final Duration STICKY_TIMEOUT = stickyTimeout(System.getenv().getOrDefault("PHOENIX_STICKY_TIMEOUT", "5s"));

  static final int MAX_ACTIVITIES = 64;

  /** The workflow implementations a production worker runs. */
  public static final List<Class<?>> WORKFLOW_TYPES = List.of(CertificateWorkflowImpl.class,
      GuestPairsWorkflowImpl.class, GuestOnboardingWorkflowImpl.class, ReconcileWorkflowImpl.class,
      AuditWorkflowImpl.class, RotationWorkflowImpl.class);

  private final WorkerFactory factory;
  private final String taskQueue;

  /**
   * @param authority the worker's inventory, which every acting step resolves names through
   * @param workflowTypes the workflow implementations to run: {@link #WORKFLOW_TYPES}, or stand-ins in tests of
   *     what starts them
   */
  public PhoenixWorker(WorkflowClient client, String taskQueue, Authority authority, PluginRegistry catalog,
      ReconcileActivities reconcile, List<Class<?>> workflowTypes) {
    this(client, taskQueue, authority, catalog, reconcile, workflowTypes, null, List.of());
  }

  /**
   * @param statuses the projection the certificate workflows' published statuses go to; null: none
   * @param more further activity implementations the worker wires (the audit's)
   */
  public PhoenixWorker(WorkflowClient client, String taskQueue, Authority authority, PluginRegistry catalog,
      ReconcileActivities reconcile, List<Class<?>> workflowTypes, StatusProjection statuses, List<Object> more) {
    WorkerFactoryOptions.Builder factoryOptions = WorkerFactoryOptions.newBuilder();
    if (statuses != null) {
      factoryOptions.setWorkerInterceptors(new StatusInterceptor(statuses));
    }
    factory = WorkerFactory.newInstance(client, factoryOptions
        .setWorkflowCacheSize(WORKFLOW_CACHE)
        .setMaxWorkflowThreadCount(Math.max(WORKFLOW_CACHE * 2, 16))
        .build());
    this.taskQueue = taskQueue;
    Worker worker = factory.newWorker(taskQueue, WorkerOptions.newBuilder()
        // Steps mostly wait on their guests (ssh round trips, a reload's grace); waits on each other (a swap's turn,
        // a reload batch, the ordering) are workflow state now and take no slot. Each slot is a thread only while
        // used.
        .setMaxConcurrentActivityExecutionSize(MAX_ACTIVITIES)
        .setStickyQueueScheduleToStartTimeout(STICKY_TIMEOUT)
        .build());
    worker.registerWorkflowImplementationTypes(workflowTypes.toArray(Class<?>[]::new));
    worker.registerActivitiesImplementations(new CertificateActivitiesImpl(authority, catalog),
        new TrustActivitiesImpl(authority, catalog), reconcile,
        new CoordinatorActivitiesImpl(client, taskQueue, authority), new RotationActivitiesImpl(authority, catalog));
    if (!more.isEmpty()) {
      worker.registerActivitiesImplementations(more.toArray());
    }
  }

  private static Duration stickyTimeout(String text) {
    return text.trim().matches("0+(ms|s|m)?") ? Duration.ZERO : Durations.require(text, "PHOENIX_STICKY_TIMEOUT");
  }

  public void start() {
    factory.start();
    log.info("worker polling task queue {}", taskQueue);
  }

  /** Stops polling, lets running activities finish (their writes are atomic anyway), then returns. */
  @Override
  public void close() {
    factory.shutdown();
    factory.awaitTermination(Duration.ofSeconds(30).toMillis(), TimeUnit.MILLISECONDS);
    if (!factory.isTerminated()) {
      log.warn("activities still running after 30 s; stopping them (no file is left half-written)");
      factory.shutdownNow();
    }
  }
}
