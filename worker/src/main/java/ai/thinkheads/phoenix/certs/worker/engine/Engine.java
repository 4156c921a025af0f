package ai.thinkheads.phoenix.certs.worker.engine;

import ai.thinkheads.phoenix.certs.worker.inventory.Inventory;
import ai.thinkheads.phoenix.certs.worker.plugins.Plugins;
import ai.thinkheads.phoenix.certs.worker.temporal.PhoenixWorker;
import ai.thinkheads.phoenix.certs.worker.temporal.TemporalConnection;
import ai.thinkheads.phoenix.certs.workflows.model.CertificateSpec;
import io.temporal.client.WorkflowClient;
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

  public static Engine start(Inventory inventory, Plugins plugins, TemporalConnection connection) {
    return start(inventory, plugins, connection, PhoenixWorker.WORKFLOW_TYPES);
  }

  /** With other workflow implementations (see {@link PhoenixWorker#WORKFLOW_TYPES}). */
  public static Engine start(Inventory inventory, Plugins plugins, TemporalConnection connection,
      List<Class<?>> workflowTypes) {
    PhoenixWorker worker = new PhoenixWorker(connection.client(), plugins.catalogFor(inventory.ca()), workflowTypes);
    worker.start();
    CertificateLauncher launcher = new CertificateLauncher(connection.client());
    int started = 0;
    for (CertificateSpec spec : inventory.certificates()) {
      started += launcher.ensureRunning(spec) ? 1 : 0;
    }
    log.info("{} certificates from {}: {} workflows started, {} already running", inventory.certificates().size(),
        inventory.source(), started, inventory.certificates().size() - started);
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
