package ai.thinkheads.phoenix.certs.starter;

import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateStatus;
import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateStatus.Outcome;
import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateWorkflow;
import ai.thinkheads.phoenix.certs.workflows.reconcile.ReconcileReport;
import ai.thinkheads.phoenix.certs.workflows.reconcile.ReconcileRequest;
import ai.thinkheads.phoenix.certs.workflows.reconcile.ReconcileWorkflow;
import ai.thinkheads.phoenix.certs.workflows.status.PromptQuery;
import ai.thinkheads.phoenix.certs.workflows.status.StatusMemos;
import ai.thinkheads.phoenix.certs.workflows.status.StatusTable;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.grpc.StatusRuntimeException;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowServiceException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code status}: one row per certificate, from what the certificate workflows publish (their status memo), so no
 * workflow replays its history to answer: one visibility list on a server that has one, else the running
 * worker's status projection over its HTTP endpoint (the embedded dev server has no visibility).
 */
@Command(name = "status", mixinStandardHelpOptions = true,
    description = "Show every certificate: serial, notAfter, next renewal, last outcome.",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
        "0:all good",
        "1:needs attention: a renewal failed or was rolled back, a certificate is not running, or the inventory's "
            + "last edit is invalid",
        "2:bad arguments, token file or inventory",
        "3:Temporal or the worker cannot be reached"})
public class StatusCommand implements Callable<Integer> {

  private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  @Mixin
  TemporalOptions temporal = new TemporalOptions();

  @Mixin
  EventsEndpoint worker = new EventsEndpoint();

  @Option(names = "--inventory", description = "only where neither Temporal can list workflows nor the worker "
      + "answers: ask each certificate of this inventory by query (slow for many; default: PHOENIX_INVENTORY)")
  Path inventory;

  @Option(names = "--json", description = "print JSON instead of a table")
  boolean json;

  /** The rows, and what the worker says is wrong with its inventory. */
  private record Table(List<CertificateStatus> statuses, List<String> problems) {}

  @Override
  public Integer call() throws Exception {
    WorkflowClient client;
    Table table;
    try {
      client = temporal.connect();
      Optional<Map<String, CertificateStatus>> listed = StatusMemos.listRunning(client);
      table = listed.isPresent() ? fromVisibility(client, listed.get()) : fromWorker(client);
    } catch (IllegalArgumentException e) {
      System.err.println("phoenix-certs status: " + e.getMessage());
      return ExitCodes.USAGE;
    } catch (Unavailable e) {
      System.err.println("phoenix-certs status: " + e.getMessage());
      return ExitCodes.TEMPORAL_UNAVAILABLE;
    } catch (StatusRuntimeException | WorkflowServiceException e) {
      System.err.println("phoenix-certs status: cannot reach Temporal: " + e.getMessage());
      return ExitCodes.TEMPORAL_UNAVAILABLE;
    }
    List<CertificateStatus> statuses = table.statuses();
    boolean attention = statuses.stream().anyMatch(s -> s.lastOutcome() == Outcome.FAILED
        || s.lastOutcome() == Outcome.ROLLED_BACK || "not running".equals(s.phase()));
    ReconcileReport inventoryReport = lastReconcile(client);
    List<String> problems = !table.problems().isEmpty() || inventoryReport == null ? table.problems()
        : inventoryReport.problems();
    if (json) {
      System.out.println(JSON.copy().enable(SerializationFeature.INDENT_OUTPUT)
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).writeValueAsString(statuses));
    } else {
      System.out.print(StatusTable.render(statuses));
      if (inventoryReport != null && inventoryReport.inventory() != null) {
        System.out.println("\ninventory " + inventoryReport.inventory() + ", last reconcile pass: "
            + inventoryReport.summary());
        if (inventoryReport.strays().total() > 0) {
          System.out.println("  ended, not in the inventory: " + String.join(", ", inventoryReport.strays().names()));
        }
      }
      problems.forEach(problem -> System.out.println("  " + problem));
    }
    attention |= !problems.isEmpty();
    return attention ? ExitCodes.ATTENTION : ExitCodes.OK;
  }

  /** One list call; a run that published no status yet (an older worker's) is asked by query. */
  private Table fromVisibility(WorkflowClient client, Map<String, CertificateStatus> listed) {
    List<CertificateStatus> statuses = new ArrayList<>();
    listed.forEach((name, status) -> statuses.add(status != null ? status : query(client, name)));
    inventoryFile().ifPresent(file -> CertificateNames.fromInventory(file).stream()
        .filter(name -> !listed.containsKey(name))
        .forEach(name -> statuses.add(CertificateStatus.initial(name, "-").withPhase("not running"))));
    return new Table(statuses, List.of());
  }

  /** The worker's projection; failing that, and only when an inventory is named, one query per certificate. */
  private Table fromWorker(WorkflowClient client) throws Unavailable, IOException {
    EventsEndpoint.Answer answer;
    try {
      answer = worker.getStatus();
    } catch (EventsEndpoint.Unreachable e) {
      Optional<Path> file = inventoryFile();
      if (file.isEmpty()) {
        throw new Unavailable("this Temporal server cannot list workflows (the embedded dev server has no "
            + "visibility), so the running worker tells the status, and " + e.getMessage());
      }
      System.err.println("phoenix-certs status: " + e.getMessage() + "; asking each certificate of " + file.get());
      return fromQueries(client, CertificateNames.fromInventory(file.get()));
    }
    if (answer.status() == 401) {
      throw new IllegalArgumentException("the worker refused the token (" + answer.reason() + "); name the token "
          + "file with --token-file or PHOENIX_TOKEN_FILE");
    }
    if (answer.status() != 200) {
      throw new Unavailable("the worker answered HTTP " + answer.status() + ": " + answer.reason());
    }
    JsonNode body = answer.body();
    List<CertificateStatus> statuses = new ArrayList<>();
    for (JsonNode row : body.path("certificates")) {
      statuses.add(JSON.treeToValue(row, CertificateStatus.class));
    }
    List<String> problems = new ArrayList<>();
    body.path("problems").forEach(problem -> problems.add(problem.asText()));
    return new Table(statuses, problems);
  }

  /** The old way, one query each (each replays the workflow's history when it is not cached): a last resort. */
  private static Table fromQueries(WorkflowClient client, List<String> names) {
    List<CompletableFuture<CertificateStatus>> asked = names.stream()
        .map(name -> PromptQuery.ask(() -> client.newWorkflowStub(CertificateWorkflow.class,
            CertificateWorkflow.workflowIdFor(name)).status()))
        .toList();
    List<CertificateStatus> statuses = new ArrayList<>();
    for (int i = 0; i < names.size(); i++) {
      try {
        statuses.add(PromptQuery.await(asked.get(i)));
      } catch (WorkflowNotFoundException e) {
        statuses.add(CertificateStatus.initial(names.get(i), "-").withPhase("not running"));
      }
    }
    return new Table(statuses, List.of());
  }

  private static CertificateStatus query(WorkflowClient client, String name) {
    try {
      return PromptQuery.answer(client.newWorkflowStub(CertificateWorkflow.class,
          CertificateWorkflow.workflowIdFor(name))::status);
    } catch (WorkflowNotFoundException ended) {
      return CertificateStatus.initial(name, "-").withPhase("not running");
    }
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

  /** Neither Temporal's visibility nor the worker could tell. */
  private static final class Unavailable extends Exception {
    Unavailable(String message) {
      super(message);
    }
  }
}
