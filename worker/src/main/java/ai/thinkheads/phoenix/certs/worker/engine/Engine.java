package ai.thinkheads.phoenix.certs.worker.engine;

import ai.thinkheads.phoenix.certs.worker.inventory.Inventory;
import ai.thinkheads.phoenix.certs.worker.plugins.Plugins;
import ai.thinkheads.phoenix.certs.worker.temporal.PhoenixWorker;
import ai.thinkheads.phoenix.certs.worker.temporal.SearchAttributeRegistrar;
import ai.thinkheads.phoenix.certs.worker.temporal.TemporalConnection;
import ai.thinkheads.phoenix.certs.worker.reconcile.ReconcileActivitiesImpl;
import ai.thinkheads.phoenix.certs.worker.reconcile.ReconcileLauncher;
import io.temporal.client.WorkflowClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A running phoenix-certs: Temporal connection, worker, and one workflow per certificate of the inventory. */
public final class Engine implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Engine.class);

  private final TemporalConnection connection;
  private final PhoenixWorker worker;
  private final Inventory inventory;

  private Engine(TemporalConnection connection, PhoenixWorker worker, Inventory inventory) {
    this.connection = connection;
    this.worker = worker;
    this.inventory = inventory;
  }

  public static Engine start(Inventory inventory, Plugins plugins, TemporalConnection connection,
      Duration reconcileInterval) {
    return start(inventory, plugins, connection, reconcileInterval, PhoenixWorker.WORKFLOW_TYPES);
  }

  /** With other workflow implementations (see {@link PhoenixWorker#WORKFLOW_TYPES}). */
  public static Engine start(Inventory inventory, Plugins plugins, TemporalConnection connection,
      Duration reconcileInterval, List<Class<?>> workflowTypes) {
    ReconcileActivitiesImpl reconcile = new ReconcileActivitiesImpl(Path.of(inventory.source()),
        plugins.inventoryLoader(), connection.client(), SearchAttributeRegistrar.ensure(connection.client()));
    PhoenixWorker worker = new PhoenixWorker(connection.client(), plugins.catalogFor(inventory.ca()),
        inventory.ca().type(), reconcile, workflowTypes);
    worker.start();
    ReconcileLauncher.start(connection.client(), connection.isEmbedded(), reconcileInterval);
    log.info("{} certificates in {}; reconciling every {}", inventory.certificates().size(), inventory.source(),
        reconcileInterval);
    return new Engine(connection, worker, inventory);
  }

  public WorkflowClient client() {
    return connection.client();
  }

  public Inventory inventory() {
    return inventory;
  }

  /** Graceful: the worker stops polling and finishes what runs, then the connection (and embedded server) go. */
  @Override
  public void close() {
    log.info("stopping: finishing running steps");
    worker.close();
    connection.close();
    log.info("stopped");
  }
}
