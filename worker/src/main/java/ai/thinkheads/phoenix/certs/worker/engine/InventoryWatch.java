package ai.thinkheads.phoenix.certs.worker.engine;

import ai.thinkheads.phoenix.certs.worker.inventory.InventoryStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notices an edited inventory file between reconcile passes: it looks at the file's modification time and size
 * every {@link #PERIOD} (and at once on {@link #reloadNow}, which SIGHUP calls), reloads the store when they
 * change, and asks for a reconcile pass when the file's content changed. A look costs one stat.
 */
public final class InventoryWatch implements AutoCloseable {

  static final Duration PERIOD = Duration.ofSeconds(2);
  private static final Logger log = LoggerFactory.getLogger(InventoryWatch.class);

  private final InventoryStore store;
  private final Runnable onChange;
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread thread = new Thread(r, "inventory-watch");
    thread.setDaemon(true);
    return thread;
  });
  private String lastSeen;

  private InventoryWatch(InventoryStore store, Runnable onChange) {
    this.store = store;
    this.onChange = onChange;
    this.lastSeen = stamp();
  }

  public static InventoryWatch start(InventoryStore store, Runnable onChange) {
    InventoryWatch watch = new InventoryWatch(store, onChange);
    watch.timer.scheduleWithFixedDelay(watch::look, PERIOD.toMillis(), PERIOD.toMillis(), TimeUnit.MILLISECONDS);
    return watch;
  }

  /** Re-reads the file now, whatever its time stamp says (SIGHUP). */
  public void reloadNow() {
    timer.execute(() -> {
      lastSeen = stamp();
      reload();
    });
  }

  private void look() {
    String now = stamp();
    if (!Objects.equals(now, lastSeen)) {
      lastSeen = now;
      reload();
    }
  }

  private void reload() {
    try {
      // an invalid edit asks for a pass too: its report is where status shows the problems
      if (store.reload() != InventoryStore.Outcome.UNCHANGED) {
        onChange.run();
      }
    } catch (RuntimeException e) {
      log.warn("inventory watch: {}", e.toString());
    }
  }

  private String stamp() {
    try {
      BasicFileAttributes attributes = Files.readAttributes(store.file(), BasicFileAttributes.class);
      return attributes.lastModifiedTime() + "/" + attributes.size();
    } catch (IOException e) {
      return "unreadable: " + e.getMessage();
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
