package ai.thinkheads.phoenix.certs.worker.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.thinkheads.phoenix.certs.activities.plugin.PluginRegistry;
import ai.thinkheads.phoenix.certs.worker.inventory.InventoryStore;
import ai.thinkheads.phoenix.certs.worker.temporal.TemporalConnection;
import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateStatus;
import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateStatus.Outcome;
import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateWorkflow;
import io.micronaut.context.ApplicationContext;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.common.WorkflowExecutionHistory;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code after} on the embedded Temporal server with the real worker, local CA and real files: x's reload is
 * slow (2 s), y comes after x. Each reload appends "name nanoseconds" to order.log.
 */
class CertificateOrderTest {

  @TempDir
  Path dir;

  @Test
  void whenBothRenewThePredecessorsCycleEndsBeforeTheDependentActivates() throws Exception {
    try (ApplicationContext context = ApplicationContext.run();
        Engine engine = start(context, inventory("sleep 2; "))) {
      WorkflowClient client = engine.client();
      CertificateStatus x0 = await(client, "x", s -> s.lastOutcome() == Outcome.ISSUED, null);
      CertificateStatus y0 = await(client, "y", s -> s.lastOutcome() == Outcome.ISSUED, null);
      Files.delete(dir.resolve("order.log"));

      // the dependent is asked first: without ordering it would activate while x still reloads
      String yFirstRun = runId(client, "cert/y");
      client.newWorkflowStub(CertificateWorkflow.class, "cert/y").renewNow();
      client.newWorkflowStub(CertificateWorkflow.class, "cert/x").renewNow();
      // a query that meets the continue-as-new can take seconds to answer: watch the phases from the new run on
      awaitNewRun(client, "cert/y", yFirstRun);
      Set<String> yPhases = new LinkedHashSet<>();
      CertificateStatus y = await(client, "y", s -> s.lastOutcome() == Outcome.RENEWED, yPhases);
      CertificateStatus x = await(client, "x", s -> s.lastOutcome() == Outcome.RENEWED, null);

      List<String> log = Files.readAllLines(dir.resolve("order.log"));
      assertEquals(2, log.size(), "one reload each: " + log);
      assertTrue(log.get(0).startsWith("x ") && log.get(1).startsWith("y "), "x reloaded first: " + log);
      Instant xReloaded = nanos(log.get(0));

      WorkflowExecutionHistory yRun = client.fetchHistory("cert/y");
      Instant yActivation = scheduled(yRun, "Activate");
      Instant xVerified = completed(client.fetchHistory("cert/x"), "Verify");
      assertTrue(yActivation.isAfter(xReloaded), "y activated at " + yActivation + ", x reloaded at " + xReloaded);
      assertTrue(yActivation.isAfter(xVerified), "y activated at " + yActivation + ", x verified at " + xVerified);
      assertTrue(yPhases.contains("waiting for x"), "y showed what it waited for: " + yPhases);
      assertNull(y.note(), "nothing was skipped");

      // what is live is what each workflow reports, and both are new
      assertNotEquals(x0.serial(), x.serial());
      assertNotEquals(y0.serial(), y.serial());
      assertEquals(x.serial(), serial(dir.resolve("x.crt")));
      assertEquals(y.serial(), serial(dir.resolve("y.crt")));

      String capture = System.getProperty("phoenix.captureHistory");
      if (capture != null) {
        // an inventory change ends the run (continue-as-new), so the capture is a whole run that waited
        String runId = runId(client, "cert/y");
        client.newWorkflowStub(CertificateWorkflow.class, "cert/y").inventoryChanged();
        awaitClosed(client, "cert/y", runId);
        Files.writeString(Path.of(capture), client.fetchHistory("cert/y", runId).toJson(true));
        // and the guest's coordinator, which granted both swaps and ran both reloads
        Files.writeString(Path.of(capture).resolveSibling("guest-pairs.json"),
            client.fetchHistory("pairs/here").toJson(true));
      }
    }
  }

  @Test
  void aDependentSharingThePredecessorsReloadGoesInRightAfterItAndSharesTheReload() throws Exception {
    String shared = "reload: {type: command, argv: [sh, -c, \"sleep 1; echo reload >> DIR/reloads.log\"]}"
        .replace("DIR", dir.toString());
    String yaml = inventory("").replaceAll("reload: \\{type: command, argv: \\[sh, -c, \"[^\"]*\"\\]\\}", shared);
    try (ApplicationContext context = ApplicationContext.run();
        Engine engine = start(context, yaml)) {
      WorkflowClient client = engine.client();
      await(client, "x", s -> s.lastOutcome() == Outcome.ISSUED, null);
      await(client, "y", s -> s.lastOutcome() == Outcome.ISSUED, null);
      Files.delete(dir.resolve("reloads.log"));

      String yFirstRun = runId(client, "cert/y");
      client.newWorkflowStub(CertificateWorkflow.class, "cert/y").renewNow();
      client.newWorkflowStub(CertificateWorkflow.class, "cert/x").renewNow();
      awaitNewRun(client, "cert/y", yFirstRun);
      CertificateStatus y = await(client, "y", s -> s.lastOutcome() == Outcome.RENEWED, null);
      await(client, "x", s -> s.lastOutcome() == Outcome.RENEWED, null);

      assertEquals(1, Files.readAllLines(dir.resolve("reloads.log")).size(), "one reload for both");
      Instant xActivated = completed(client.fetchHistory("cert/x"), "Activate");
      Instant yActivation = scheduled(client.fetchHistory("cert/y"), "Activate");
      assertTrue(yActivation.isAfter(xActivated), "y's pair went in after x's: " + yActivation + " / " + xActivated);
      assertNull(y.note(), "nothing was skipped");
    }
  }

  @Test
  void aDependentWhosePredecessorIsGoneGoesAheadAndSaysWhy() throws Exception {
    try (ApplicationContext context = ApplicationContext.run();
        Engine engine = start(context, inventory(""))) {
      WorkflowClient client = engine.client();
      await(client, "x", s -> s.lastOutcome() == Outcome.ISSUED, null);
      CertificateStatus before = await(client, "y", s -> s.lastOutcome() == Outcome.ISSUED, null);

      client.newUntypedWorkflowStub("cert/x").terminate("removed for the test");
      String yFirstRun = runId(client, "cert/y");
      client.newWorkflowStub(CertificateWorkflow.class, "cert/y").renewNow();
      awaitNewRun(client, "cert/y", yFirstRun);
      CertificateStatus y = await(client, "y", s -> s.lastOutcome() == Outcome.RENEWED, null);
      assertEquals("went ahead without waiting: cert/x is not running", y.note());
      assertNotEquals(before.serial(), y.serial());
      assertEquals(y.serial(), serial(dir.resolve("y.crt")));
    }
  }

  /** x, then y after x; each reload appends "name nanoseconds" to order.log, x's after {@code xFirst}. */
  private String inventory(String xFirst) {
    return """
        ca: {type: local, dataDir: DIR/ca}
        guests:
          - {name: here, kind: local}
        certificates:
          - name: x
            guest: here
            sans: [x.test]
            lifetime: 1h
            files: {cert: DIR/x.crt, key: DIR/x.key}
            reload: {type: command, argv: [sh, -c, "XFIRSTecho x $(date +%s%N) >> DIR/order.log"]}
          - name: y
            guest: here
            sans: [y.test]
            lifetime: 1h
            files: {cert: DIR/y.crt, key: DIR/y.key}
            reload: {type: command, argv: [sh, -c, "echo y $(date +%s%N) >> DIR/order.log"]}
            after: x
        """.replace("DIR", dir.toString()).replace("XFIRST", xFirst);
  }

  private Engine start(ApplicationContext context, String yaml) throws Exception {
    Path file = dir.resolve("inventory.yaml");
    Files.writeString(file, yaml);
    PluginRegistry plugins = context.getBean(PluginRegistry.class);
    InventoryStore inventory = InventoryStore.open(file, plugins);
    return Engine.start(inventory, plugins, TemporalConnection.embedded(freePort()), Duration.ofHours(1));
  }

  /** Polls the status until {@code done}; collects the phases seen on the way into {@code phases}. */
  private static CertificateStatus await(WorkflowClient client, String name, Predicate<CertificateStatus> done,
      Set<String> phases) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 60_000;
    CertificateStatus last = null;
    while (System.currentTimeMillis() < deadline) {
      try {
        last = client.newWorkflowStub(CertificateWorkflow.class, CertificateWorkflow.workflowIdFor(name)).status();
        if (phases != null && last != null) {
          phases.add(last.phase());
        }
        if (last != null && done.test(last)) {
          return last;
        }
      } catch (RuntimeException notYet) {
        // not started yet, or between two runs
      }
      Thread.sleep(50);
    }
    throw new AssertionError(name + " not there in 60 s; last status " + last);
  }

  private static String runId(WorkflowClient client, String workflowId) {
    return client.newUntypedWorkflowStub(workflowId).describe().getExecution().getRunId();
  }

  private static void awaitNewRun(WorkflowClient client, String workflowId, String previousRun)
      throws InterruptedException {
    long deadline = System.currentTimeMillis() + 30_000;
    while (runId(client, workflowId).equals(previousRun)) {
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError(workflowId + " did not start a new run");
      }
      Thread.sleep(20);
    }
  }

  private static void awaitClosed(WorkflowClient client, String workflowId, String runId)
      throws InterruptedException {
    for (int i = 0; i < 200; i++) {
      WorkflowExecutionStatus status = client.newUntypedWorkflowStub(workflowId, Optional.of(runId),
          Optional.empty()).describe().getStatus();
      if (status != WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING) {
        return;
      }
      Thread.sleep(50);
    }
    throw new AssertionError(workflowId + " run " + runId + " did not end");
  }

  /** When the run scheduled its (last) call of {@code activity}. */
  private static Instant scheduled(WorkflowExecutionHistory history, String activity) {
    Instant at = null;
    for (HistoryEvent event : history.getEvents()) {
      if (event.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED
          && event.getActivityTaskScheduledEventAttributes().getActivityType().getName().equals(activity)) {
        at = time(event);
      }
    }
    if (at == null) {
      throw new AssertionError("no " + activity + " in the run: " + types(history));
    }
    return at;
  }

  /** When the (last) call of {@code activity} completed. */
  private static Instant completed(WorkflowExecutionHistory history, String activity) {
    Map<Long, String> scheduled = new HashMap<>();
    Instant at = null;
    for (HistoryEvent event : history.getEvents()) {
      if (event.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED) {
        scheduled.put(event.getEventId(),
            event.getActivityTaskScheduledEventAttributes().getActivityType().getName());
      } else if (event.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED
          && activity.equals(scheduled.get(event.getActivityTaskCompletedEventAttributes().getScheduledEventId()))) {
        at = time(event);
      }
    }
    if (at == null) {
      throw new AssertionError("no completed " + activity + " in the run: " + types(history));
    }
    return at;
  }

  private static List<String> types(WorkflowExecutionHistory history) {
    return history.getEvents().stream()
        .filter(e -> e.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED)
        .map(e -> e.getActivityTaskScheduledEventAttributes().getActivityType().getName()).toList();
  }

  private static Instant time(HistoryEvent event) {
    return Instant.ofEpochSecond(event.getEventTime().getSeconds(), event.getEventTime().getNanos());
  }

  private static Instant nanos(String logLine) {
    long ns = Long.parseLong(logLine.split(" ")[1]);
    return Instant.ofEpochSecond(ns / 1_000_000_000L, ns % 1_000_000_000L);
  }

  private static String serial(Path pem) throws Exception {
    try (var in = Files.newInputStream(pem)) {
      return ((X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in)).getSerialNumber()
          .toString(16);
    }
  }

  private static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
