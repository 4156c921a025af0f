package ai.thinkheads.phoenix.certs.worker.engine;

import ai.thinkheads.phoenix.certs.activities.audit.AuditActivitiesImpl;
import ai.thinkheads.phoenix.certs.activities.audit.AuditArchive;
import ai.thinkheads.phoenix.certs.activities.audit.GuestOnboarding;
import ai.thinkheads.phoenix.certs.activities.audit.WorkflowProbe;
import ai.thinkheads.phoenix.certs.worker.rotation.RotatingEstate;
import ai.thinkheads.phoenix.certs.worker.rotation.RotationStarter;
import ai.thinkheads.phoenix.certs.worker.rotation.RotationWatch;
import ai.thinkheads.phoenix.certs.activities.estate.Authority;
import ai.thinkheads.phoenix.certs.worker.audit.AuditLauncher;
import ai.thinkheads.phoenix.certs.workflows.audit.AuditWorkflowImpl;
import java.nio.file.Path;
import java.time.Clock;
import ai.thinkheads.phoenix.certs.activities.estate.Guest;
import ai.thinkheads.phoenix.certs.activities.plugin.PluginRegistry;
import ai.thinkheads.phoenix.certs.worker.inventory.InventorySnapshot;
import ai.thinkheads.phoenix.certs.worker.inventory.InventoryStore;
import ai.thinkheads.phoenix.certs.worker.reconcile.ReconcileActivitiesImpl;
import ai.thinkheads.phoenix.certs.worker.reconcile.ReconcileLauncher;
import ai.thinkheads.phoenix.certs.worker.status.StatusProjection;
import ai.thinkheads.phoenix.certs.worker.status.StatusSeed;
import ai.thinkheads.phoenix.certs.worker.temporal.PhoenixWorker;
import ai.thinkheads.phoenix.certs.worker.temporal.SearchAttributeRegistrar;
import ai.thinkheads.phoenix.certs.worker.temporal.TemporalConnection;
import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateWorkflow;
import ai.thinkheads.phoenix.certs.workflows.guest.GuestOnboardingWorkflow;
import io.temporal.client.WorkflowClient;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running phoenix-certs: Temporal connection, worker, the inventory's one owner, and the reconcile loop that
 * keeps one workflow per certificate of the inventory.
 */
public final class Engine implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Engine.class);
  /** Where the latest audit is kept (what /audit serves and the next audit compares with). */
  public static final AuditArchive AUDIT_ARCHIVE = new AuditArchive(Path.of(System.getenv().getOrDefault(
      "PHOENIX_AUDIT_DIR", "var/audit")));

  private final TemporalConnection connection;
  private final PhoenixWorker worker;
  private final InventoryStore inventory;
  private final InventoryWatch watch;
  private final StatusProjection statuses;

  private Engine(TemporalConnection connection, PhoenixWorker worker, InventoryStore inventory,
      InventoryWatch watch, StatusProjection statuses) {
    this.connection = connection;
    this.worker = worker;
    this.inventory = inventory;
    this.watch = watch;
    this.statuses = statuses;
  }

  public static Engine start(InventoryStore inventory, PluginRegistry plugins, TemporalConnection connection,
      Duration reconcileInterval) {
    return start(inventory, plugins, connection, reconcileInterval, PhoenixWorker.WORKFLOW_TYPES);
  }

  /** With other workflow implementations (see {@link PhoenixWorker#WORKFLOW_TYPES}). */
  public static Engine start(InventoryStore inventory, PluginRegistry plugins, TemporalConnection connection,
      Duration reconcileInterval, List<Class<?>> workflowTypes) {
    WorkflowClient client = connection.client();
    String taskQueue = CertificateWorkflow.TASK_QUEUE;
    CertificateLauncher launcher = new CertificateLauncher(client, taskQueue,
        SearchAttributeRegistrar.ensure(client));
    Duration loop = ReconcileLauncher.start(client, taskQueue, connection.isEmbedded(), reconcileInterval);
    Duration auditLoop = workflowTypes.contains(AuditWorkflowImpl.class) ? AuditLauncher.start(client, taskQueue,
        connection.isEmbedded(), inventory.get().audit().interval()) : null;
    StatusProjection statuses = new StatusProjection(() -> inventory.get().certificates());
    // steps see the inventory through the CA rotation's phase (which CA issues, which roots guests trust)
    RotationWatch rotation = RotationWatch.of(client);
    Authority authority = new Authority(() -> new RotatingEstate(inventory.get(), rotation));
    PhoenixWorker worker = new PhoenixWorker(client, taskQueue, authority, plugins,
        new ReconcileActivitiesImpl(inventory, client, launcher, loop), workflowTypes, statuses, List.of(
            new AuditActivitiesImpl(authority, plugins, WorkflowProbe.of(client), AUDIT_ARCHIVE, auditLoop,
                Clock.systemUTC(), GuestOnboarding.of(client, taskQueue))));
    worker.start();
    if (!connection.isEmbedded()) {
      // what the workflows published before this worker ran: read once, in the background
      Thread seed = new Thread(() -> StatusSeed.fill(statuses, client, inventory.get().certificates()),
          "status-seed");
      seed.setDaemon(true);
      seed.start();
    }
    endLegacyOnboarding(client, inventory.get());
    if (workflowTypes.contains(AuditWorkflowImpl.class)) {
      AuditLauncher.checkTrust(client, taskQueue);
    }
    RotationStarter.ensure(client, inventory.get());
    InventoryWatch watch = InventoryWatch.start(inventory, () -> {
      ReconcileLauncher.passNow(client);
      RotationStarter.ensure(client, inventory.get());
    });
    log.info("{} certificates in {}; reconciling every {}", inventory.get().certificates().size(), inventory.file(),
        reconcileInterval);
    return new Engine(connection, worker, inventory, watch, statuses);
  }

  /**
   * A guest's onboarding run of an older type would be joined, and hang, instead of started: end those (the next
   * guest event starts today's). Guests are few: one describe each, once per start.
   */
  private static void endLegacyOnboarding(WorkflowClient client, InventorySnapshot snapshot) {
    for (Guest guest : snapshot.guests()) {
      String workflowId = GuestOnboardingWorkflow.workflowIdFor(guest.id());
      LegacyRuns.Running run = LegacyRuns.running(client, workflowId, null);
      if (run != null && !GuestOnboardingWorkflow.TYPE.equals(run.type())) {
        LegacyRuns.terminate(client, workflowId, run.type());
      }
    }
  }

  public WorkflowClient client() {
    return connection.client();
  }

  /** The inventory's one owner: every reader takes its current snapshot from here. */
  public InventoryStore inventory() {
    return inventory;
  }

  /** Every certificate's status as its workflow last published it; reading it calls nothing. */
  public StatusProjection statuses() {
    return statuses;
  }

  public InventorySnapshot snapshot() {
    return inventory.get();
  }

  /** Re-reads the inventory file now (SIGHUP); a valid edit is applied by a reconcile pass at once. */
  public void reloadInventoryNow() {
    watch.reloadNow();
  }

  /** Graceful: the worker stops polling and finishes what runs, then the connection (and embedded server) go. */
  @Override
  public void close() {
    log.info("stopping: finishing running steps");
    watch.close();
    worker.close();
    connection.close();
    log.info("stopped");
  }
}
