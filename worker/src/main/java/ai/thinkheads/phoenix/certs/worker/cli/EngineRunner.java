package ai.thinkheads.phoenix.certs.worker.cli;

import ai.thinkheads.phoenix.certs.worker.engine.Engine;
import ai.thinkheads.phoenix.certs.worker.engine.StatusBoard;
import ai.thinkheads.phoenix.certs.worker.inventory.Inventory;
import ai.thinkheads.phoenix.certs.worker.inventory.InventoryException;
import ai.thinkheads.phoenix.certs.worker.plugins.Plugins;
import ai.thinkheads.phoenix.certs.worker.temporal.TemporalConnection;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/** Runs the engine until SIGTERM or Ctrl-C, then stops it gracefully. Shared by {@code dev} and {@code run}. */
final class EngineRunner {

  private EngineRunner() {}

  static int run(Plugins plugins, Path inventoryFile, int embeddedPort, boolean forceEmbedded, boolean board,
      Duration reconcileInterval) {
    Inventory inventory;
    try {
      inventory = plugins.inventoryLoader().load(inventoryFile);
    } catch (InventoryException e) {
      System.err.println(e.getMessage());
      System.err.println("nothing started.");
      return ExitCodes.BAD_INVENTORY;
    }
    TemporalConnection connection;
    try {
      connection = TemporalConnection.open(embeddedPort, forceEmbedded);
    } catch (RuntimeException e) {
      System.err.println("cannot reach Temporal: " + e.getMessage());
      return ExitCodes.TEMPORAL_UNAVAILABLE;
    }
    Engine engine = Engine.start(inventory, plugins, connection, reconcileInterval);
    StatusBoard statusBoard = new StatusBoard(engine.client(), inventory.certificates(), System.out);
    if (board) {
      statusBoard.start();
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Thread hook = new Thread(() -> {
      statusBoard.close();
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
}
