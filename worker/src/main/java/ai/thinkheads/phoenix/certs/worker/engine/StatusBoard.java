package ai.thinkheads.phoenix.certs.worker.engine;

import ai.thinkheads.phoenix.certs.worker.inventory.InventoryStore;
import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateStatus;
import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateWorkflow;
import ai.thinkheads.phoenix.certs.workflows.model.CertificateSpec;
import ai.thinkheads.phoenix.certs.workflows.status.PromptQuery;
import ai.thinkheads.phoenix.certs.workflows.status.StatusTable;
import io.temporal.client.WorkflowClient;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Asks every certificate workflow for its status and prints the table whenever it changes (dev mode). All are
 * asked at once ({@link PromptQuery}: a query that meets a continue-as-new is asked again); a certificate that
 * has not answered within {@link #ANSWER_WAIT} keeps its last row, so one slow answer never holds up the table.
 */
public final class StatusBoard implements AutoCloseable {

  static final Duration ANSWER_WAIT = Duration.ofSeconds(3);

  private final WorkflowClient client;
  private final Supplier<List<CertificateSpec>> certificates;
  private final Supplier<List<String>> problems;
  private final PrintStream out;
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread thread = new Thread(r, "status-board");
    thread.setDaemon(true);
    return thread;
  });
  private final Map<String, CertificateStatus> lastAnswers = new ConcurrentHashMap<>();
  private String lastTable = "";

  /** The worker's inventory: the table follows it as it changes, and shows why an edit is not in use. */
  public StatusBoard(WorkflowClient client, InventoryStore inventory, PrintStream out) {
    this(client, () -> inventory.get().certificates(), inventory::problems, out);
  }

  StatusBoard(WorkflowClient client, Supplier<List<CertificateSpec>> certificates,
      Supplier<List<String>> problems, PrintStream out) {
    this.client = client;
    this.certificates = certificates;
    this.problems = problems;
    this.out = out;
  }

  public void start() {
    timer.scheduleWithFixedDelay(this::refresh, 1, 1, TimeUnit.SECONDS);
  }

  public List<CertificateStatus> statuses() {
    List<CertificateSpec> certificates = this.certificates.get();
    List<CompletableFuture<CertificateStatus>> asked = certificates.stream()
        .map(spec -> PromptQuery.ask(() -> client.newWorkflowStub(CertificateWorkflow.class, spec.workflowId())
            .status()))
        .toList();
    long deadline = System.nanoTime() + ANSWER_WAIT.toNanos();
    List<CertificateStatus> out = new ArrayList<>();
    for (int i = 0; i < certificates.size(); i++) {
      out.add(answer(certificates.get(i), asked.get(i), deadline));
    }
    return out;
  }

  private CertificateStatus answer(CertificateSpec spec, CompletableFuture<CertificateStatus> asked, long deadline) {
    try {
      CertificateStatus status = asked.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      lastAnswers.put(spec.workflowId(), status);
      return status;
    } catch (TimeoutException slow) {
      CertificateStatus last = lastAnswers.get(spec.workflowId());
      return last != null ? last : notReachable(spec);
    } catch (ExecutionException e) {
      return notReachable(spec);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return lastAnswers.getOrDefault(spec.workflowId(), notReachable(spec));
    }
  }

  private static CertificateStatus notReachable(CertificateSpec spec) {
    return CertificateStatus.initial(spec.name(), spec.target().guestId()).withPhase("not reachable yet");
  }

  private void refresh() {
    String table = StatusTable.render(statuses());
    List<String> invalid = problems.get();
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
    timer.shutdownNow();
  }
}
