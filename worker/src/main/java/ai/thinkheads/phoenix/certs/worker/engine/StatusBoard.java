package ai.thinkheads.phoenix.certs.worker.engine;

import ai.thinkheads.phoenix.certs.worker.inventory.InventoryStore;
import ai.thinkheads.phoenix.certs.worker.status.StatusProjection;
import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateStatus;
import ai.thinkheads.phoenix.certs.workflows.status.StatusTable;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * The dev mode's table: redrawn from the worker's {@link StatusProjection} when a certificate's status changes or
 * the inventory does (at most once per {@link #REDRAW_EVERY}), never by asking the workflows. With nothing
 * changing it costs one flag test a second.
 */
public final class StatusBoard implements AutoCloseable {

  static final Duration REDRAW_EVERY = Duration.ofSeconds(1);

  private final StatusProjection statuses;
  private final Supplier<?> inventory;
  private final Supplier<List<String>> problems;
  private final PrintStream out;
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread thread = new Thread(r, "status-board");
    thread.setDaemon(true);
    return thread;
  });
  private final AtomicBoolean changed = new AtomicBoolean(true);
  private Runnable unsubscribe = () -> {};
  private Object lastInventory;
  private List<String> lastProblems = List.of();
  private String lastTable = "";

  /** The worker's inventory: the table follows it as it changes, and shows why an edit is not in use. */
  public StatusBoard(StatusProjection statuses, InventoryStore inventory, PrintStream out) {
    this(statuses, inventory, inventory::problems, out);
  }

  /** @param inventory whose value is a new object whenever the certificates may have changed */
  StatusBoard(StatusProjection statuses, Supplier<?> inventory, Supplier<List<String>> problems, PrintStream out) {
    this.statuses = statuses;
    this.inventory = inventory;
    this.problems = problems;
    this.out = out;
  }

  public void start() {
    unsubscribe = statuses.onChange(status -> changed.set(true));
    timer.scheduleWithFixedDelay(this::refresh, 0, REDRAW_EVERY.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** The rows the table shows now. */
  public List<CertificateStatus> statuses() {
    return statuses.all();
  }

  private void refresh() {
    Object snapshot = inventory.get();
    List<String> invalid = problems.get();
    if (!changed.getAndSet(false) && snapshot == lastInventory && invalid.equals(lastProblems)) {
      return;
    }
    lastInventory = snapshot;
    lastProblems = invalid;
    String table = StatusTable.render(statuses.all());
    if (!invalid.isEmpty()) {
      table += "the inventory's last edit is not in use:\n  " + String.join("\n  ", invalid) + "\n";
    }
    if (!table.equals(lastTable)) {
      lastTable = table;
      out.println("\n" + StatusTable.time(Instant.now()) + "\n" + table);
    }
  }

  @Override
  public void close() {
    unsubscribe.run();
    timer.shutdownNow();
  }
}
