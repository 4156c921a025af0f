package ai.thinkheads.phoenix.certs.starter;

import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateStatus;
import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateStatus.Outcome;
import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateWorkflow;
import ai.thinkheads.phoenix.certs.workflows.reconcile.ReconcileReport;
import ai.thinkheads.phoenix.certs.workflows.reconcile.ReconcileRequest;
import ai.thinkheads.phoenix.certs.workflows.reconcile.ReconcileWorkflow;
import ai.thinkheads.phoenix.certs.workflows.status.PromptQuery;
import ai.thinkheads.phoenix.certs.workflows.status.StatusTable;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.grpc.StatusRuntimeException;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowServiceException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code status}: one row per certificate, from each workflow's status query. */
@Command(name = "status", mixinStandardHelpOptions = true,
    description = "Show every certificate: serial, notAfter, next renewal, last outcome.")
public class StatusCommand implements Callable<Integer> {

  @Mixin
  TemporalOptions temporal = new TemporalOptions();

  @Option(names = "--inventory", description = "take certificate names from this inventory (default: "
      + "PHOENIX_INVENTORY, else Temporal's visibility, else examples/demo.yaml)")
  Path inventory;

  @Option(names = "--json", description = "print JSON instead of a table")
  boolean json;

  @Override
  public Integer call() throws Exception {
    WorkflowClient client;
    List<String> names;
    try {
      client = temporal.connect();
      names = CertificateNames.find(client, inventoryFile(), demoInventory());
    } catch (IllegalArgumentException e) {
      System.err.println("phoenix-certs status: " + e.getMessage());
      return ExitCodes.USAGE;
    } catch (StatusRuntimeException | WorkflowServiceException e) {
      System.err.println("phoenix-certs status: cannot reach Temporal: " + e.getMessage());
      return ExitCodes.TEMPORAL_UNAVAILABLE;
    }
    // all at once, each asked again if slow: one certificate continuing as new does not hold up the rest
    List<CompletableFuture<CertificateStatus>> asked = names.stream()
        .map(name -> PromptQuery.ask(() -> client.newWorkflowStub(CertificateWorkflow.class,
            CertificateWorkflow.workflowIdFor(name)).status()))
        .toList();
    List<CertificateStatus> statuses = new ArrayList<>();
    boolean attention = false;
    for (int i = 0; i < names.size(); i++) {
      String name = names.get(i);
      try {
        CertificateStatus status = PromptQuery.await(asked.get(i));
        statuses.add(status);
        attention |= status.lastOutcome() == Outcome.FAILED || status.lastOutcome() == Outcome.ROLLED_BACK;
      } catch (WorkflowNotFoundException e) {
        statuses.add(CertificateStatus.initial(name, "-").withPhase("not running"));
        attention = true;
      } catch (StatusRuntimeException | WorkflowServiceException e) {
        System.err.println("phoenix-certs status: cannot reach Temporal: " + e.getMessage());
        return ExitCodes.TEMPORAL_UNAVAILABLE;
      }
    }
    ReconcileReport inventoryReport = lastReconcile(client);
    if (json) {
      System.out.println(new ObjectMapper().registerModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(statuses));
    } else {
      System.out.print(StatusTable.render(statuses));
      if (inventoryReport != null && inventoryReport.inventory() != null) {
        System.out.println("\ninventory " + inventoryReport.inventory() + ", last reconcile pass: "
            + inventoryReport.summary());
        if (inventoryReport.strays().total() > 0) {
          System.out.println("  ended, not in the inventory: " + String.join(", ", inventoryReport.strays().names()));
        }
        inventoryReport.problems().forEach(problem -> System.out.println("  " + problem));
      }
    }
    attention |= inventoryReport != null && !inventoryReport.problems().isEmpty();
    return attention ? ExitCodes.ATTENTION : ExitCodes.OK;
  }

  /** What the worker's last reconcile pass found (its inventory, and an edit it could not use); null if none. */
  private static ReconcileReport lastReconcile(WorkflowClient client) {
    try {
      return PromptQuery.answer(client.newWorkflowStub(ReconcileWorkflow.class, ReconcileRequest.WORKFLOW_ID)
          ::lastReport);
    } catch (RuntimeException noReconcile) {
      return null; // no worker has reconciled on this server yet
    }
  }

  private Optional<Path> inventoryFile() {
    if (inventory != null) {
      return Optional.of(inventory);
    }
    String env = System.getenv("PHOENIX_INVENTORY");
    if (env != null && !env.isBlank()) {
      return Optional.of(Path.of(env));
    }
    return Optional.empty();
  }

  static Optional<Path> demoInventory() {
    Path demo = Path.of("examples/demo.yaml");
    return Files.exists(demo) ? Optional.of(demo) : Optional.empty();
  }
}
