package ai.thinkheads.phoenix.certs.worker.cli;

import ai.thinkheads.phoenix.certs.activities.plugin.PluginRegistry;
import ai.thinkheads.phoenix.certs.worker.engine.Engine;
import ai.thinkheads.phoenix.certs.worker.engine.StatusBoard;
import ai.thinkheads.phoenix.certs.worker.http.EventsConfigException;
import ai.thinkheads.phoenix.certs.worker.http.EventsServer;
import ai.thinkheads.phoenix.certs.worker.inventory.InventoryStore;
import ai.thinkheads.phoenix.certs.worker.inventory.InventoryException;
import ai.thinkheads.phoenix.certs.worker.temporal.TemporalConnection;
import ai.thinkheads.phoenix.certs.worker.metrics.MetricsConfig;
import ai.thinkheads.phoenix.certs.worker.metrics.MetricsRefresher;
import ai.thinkheads.phoenix.certs.worker.metrics.ProjectedStatusSource;
import ai.thinkheads.phoenix.certs.worker.metrics.TemporalMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.micronaut.context.ApplicationContext;
import java.time.Clock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the engine and its events endpoint until SIGTERM or Ctrl-C, then stops them gracefully. Shared by
 * {@code dev} and {@code run}; {@code check} never gets here, so it never opens a port.
 */
final class EngineRunner {

  private EngineRunner() {}

  static int run(ApplicationContext context, Path inventoryFile, int embeddedPort, boolean dev, boolean board,
      Duration reconcileInterval) {
    PluginRegistry plugins = context.getBean(PluginRegistry.class);
    InventoryStore inventory;
    try {
      inventory = InventoryStore.open(inventoryFile, plugins);
    } catch (InventoryException e) {
      System.err.println(e.getMessage());
      System.err.println("nothing started.");
      return ExitCodes.BAD_INVENTORY;
    }
    MetricsConfig metricsConfig = context.getBean(MetricsConfig.class);
    PrometheusMeterRegistry registry = context.getBean(PrometheusMeterRegistry.class);
    TemporalConnection connection;
    try {
      connection = TemporalConnection.open(embeddedPort, dev,
          metricsConfig.enabled() ? TemporalMetrics.scope(registry) : null);
    } catch (RuntimeException e) {
      System.err.println("cannot reach Temporal: " + e.getMessage());
      return ExitCodes.TEMPORAL_UNAVAILABLE;
    }
    Engine engine = Engine.start(inventory, plugins, connection, reconcileInterval);
    Optional<EventsServer> events;
    try {
      events = EventsServer.start(context, engine, dev);
    } catch (EventsConfigException e) {
      System.err.println("events endpoint: " + e.getMessage());
      engine.close();
      return ExitCodes.BAD_CONFIG;
    }
    reloadOnHangup(engine);
    StatusBoard statusBoard = new StatusBoard(engine.statuses(), inventory, System.out);
    if (board) {
      statusBoard.start();
    }
    Optional<MetricsRefresher> metrics = metricsConfig.enabled()
        ? Optional.of(new MetricsRefresher(registry, engine.client(), inventory,
            new ProjectedStatusSource(engine.statuses()), Engine.AUDIT_ARCHIVE::latest, Clock.systemUTC())
            .start(metricsConfig.refresh()))
        : Optional.empty();
    CountDownLatch stopped = new CountDownLatch(1);
    Thread hook = new Thread(() -> {
      events.ifPresent(EventsServer::close); // no new events while the worker drains
      statusBoard.close();
      metrics.ifPresent(MetricsRefresher::close);
      engine.close();
      stopped.countDown();
    }, "shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return ExitCodes.OK;
  }

  /** `kill -HUP <pid>` re-reads the inventory at once, as daemons do. */
  private static void reloadOnHangup(Engine engine) {
    try {
      sun.misc.Signal.handle(new sun.misc.Signal("HUP"), signal -> engine.reloadInventoryNow());
    } catch (IllegalArgumentException unsupported) {
      // no SIGHUP on this platform: the file watch and the reconcile passes still pick edits up
    }
  }
}
