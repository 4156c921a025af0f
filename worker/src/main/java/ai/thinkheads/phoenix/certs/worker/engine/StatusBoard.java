package ai.thinkheads.phoenix.certs.worker.engine;

import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateStatus;
import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateWorkflow;
import ai.thinkheads.phoenix.certs.workflows.model.CertificateSpec;
import ai.thinkheads.phoenix.certs.workflows.status.StatusTable;
import io.temporal.client.WorkflowClient;
import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** Asks every certificate workflow for its status and prints the table whenever it changes (dev mode). */
public final class StatusBoard implements AutoCloseable {

  private final WorkflowClient client;
  private final List<CertificateSpec> certificates;
  private final PrintStream out;
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread thread = new Thread(r, "status-board");
    thread.setDaemon(true);
    return thread;
  });
  private String lastTable = "";

  public StatusBoard(WorkflowClient client, List<CertificateSpec> certificates, PrintStream out) {
    this.client = client;
    this.certificates = certificates;
    this.out = out;
  }

  public void start() {
    timer.scheduleWithFixedDelay(this::refresh, 1, 1, TimeUnit.SECONDS);
  }

  public List<CertificateStatus> statuses() {
    List<CertificateStatus> out = new ArrayList<>();
    for (CertificateSpec spec : certificates) {
      try {
        out.add(client.newWorkflowStub(CertificateWorkflow.class, spec.workflowId()).status());
      } catch (RuntimeException e) {
        out.add(CertificateStatus.initial(spec.name(), spec.target().guestId()).withPhase("not reachable yet"));
      }
    }
    return out;
  }

  private void refresh() {
    String table = StatusTable.render(statuses());
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
