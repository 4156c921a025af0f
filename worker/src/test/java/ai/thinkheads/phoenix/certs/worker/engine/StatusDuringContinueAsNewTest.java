package ai.thinkheads.phoenix.certs.worker.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.thinkheads.phoenix.certs.worker.temporal.TemporalConnection;
import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateStatus;
import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateWorkflow;
import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateRun;
import ai.thinkheads.phoenix.certs.workflows.certificate.PredecessorSettled;
import ai.thinkheads.phoenix.certs.workflows.certificate.SettledWaiter;
import ai.thinkheads.phoenix.certs.workflows.coordination.ReloadOutcome;
import ai.thinkheads.phoenix.certs.workflows.model.CertificateFiles;
import ai.thinkheads.phoenix.certs.workflows.model.CertificateSpec;
import ai.thinkheads.phoenix.certs.workflows.model.KeyAlgorithm;
import ai.thinkheads.phoenix.certs.workflows.model.StepSpec;
import ai.thinkheads.phoenix.certs.workflows.model.TargetSpec;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A status query that arrives while a certificate's run continues as new. On Temporal's Java test server (the
 * embedded dev server) the workflow task that continues as new is refused when a query came in during it, and
 * that query is never answered: it waits out the client's query deadline (10 s by default), then the client's
 * retry reaches the new run. A stand-in workflow makes the timing certain: its last workflow task takes 700 ms,
 * and the query is sent during it.
 */
class StatusDuringContinueAsNewTest {

  private TemporalConnection temporal;
  private WorkerFactory workers;

  @BeforeEach
  void start() throws Exception {
    temporal = TemporalConnection.embedded(DevStackTest.freePort());
    workers = WorkerFactory.newInstance(temporal.client());
    Worker worker = workers.newWorker(CertificateWorkflow.TASK_QUEUE);
    worker.registerWorkflowImplementationTypes(SlowToContinue.class);
    workers.start();
  }

  /** Takes up to 10 s after a stuck query: the server closes once the query's deadline has passed. */
  @AfterEach
  void stop() {
    workers.shutdownNow();
    workers.awaitTermination(5, TimeUnit.SECONDS);
    temporal.close();
  }

  /**
   * The test server's defect itself, which a real Temporal server does not have. When this fails after an SDK
   * upgrade, the test server answers such queries and {@code PromptQuery} no longer needs to ask twice.
   */
  @Test
  void theTestServerLeavesAQueryThatMeetsAContinueAsNewUnanswered() throws Exception {
    CertificateSpec spec = spec("stuck");
    String firstRun = startAndContinue(spec);
    WorkflowServiceStubs stubs = WorkflowServiceStubs.newServiceStubs(WorkflowServiceStubsOptions.newBuilder()
        .setTarget(temporal.client().getWorkflowServiceStubs().getOptions().getTarget())
        .setRpcQueryTimeout(Duration.ofSeconds(2))
        .build());
    try {
      WorkflowClient twoSecondQueries = WorkflowClient.newInstance(stubs);
      long started = System.nanoTime();
      CertificateStatus status = twoSecondQueries.newWorkflowStub(CertificateWorkflow.class, spec.workflowId())
          .status();
      long millis = (System.nanoTime() - started) / 1_000_000;

      System.out.println("plain query answered in " + millis + " ms");
      assertTrue(millis >= 2000, "answered after " + millis + " ms, within the 2 s query deadline");
      assertEquals("continued", status.phase(), "answered by the new run, after the client's retry");
      WorkflowClient client = temporal.client();
      assertEquals(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_CONTINUED_AS_NEW, client
          .newUntypedWorkflowStub(spec.workflowId(), Optional.of(firstRun), Optional.empty()).describe().getStatus());
      List<HistoryEvent> events = client.fetchHistory(spec.workflowId(), firstRun).getHistory().getEventsList();
      assertEquals(EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED, events.get(events.size() - 1).getEventType(),
          "the first run continued as new, but its history does not say so: that task's completion was refused");
    } finally {
      stubs.shutdownNow();
    }
  }

  /** Starts the stand-in, asks it to renew and returns its first run once that run is continuing as new. */
  private String startAndContinue(CertificateSpec spec) throws InterruptedException {
    SlowToContinue.continuing = new CountDownLatch(1);
    CertificateWorkflow workflow = temporal.client().newWorkflowStub(CertificateWorkflow.class,
        WorkflowOptions.newBuilder().setWorkflowId(spec.workflowId()).setTaskQueue(CertificateWorkflow.TASK_QUEUE)
            .build());
    String firstRun = WorkflowClient.start(workflow::run, CertificateRun.first(spec.name())).getRunId();
    assertEquals("waiting", workflow.status().phase());
    workflow.renewNow();
    assertTrue(SlowToContinue.continuing.await(10, TimeUnit.SECONDS), "the run did not continue as new");
    return firstRun;
  }

  private static CertificateSpec spec(String name) {
    return new CertificateSpec(name, new TargetSpec("local", "local/here", null), "local", null,
        List.of(name + ".test"), KeyAlgorithm.ECDSA_P256, null, null, 0, null,
        new CertificateFiles("/tmp/" + name + ".crt", "/tmp/" + name + ".key", null, null, null, null),
        StepSpec.none(), StepSpec.none(), StepSpec.none(), List.of());
  }

  /** Stands in for CertificateWorkflowImpl: waits for renewNow, then continues as new in a 700 ms task. */
  public static class SlowToContinue implements CertificateWorkflow {

    static volatile CountDownLatch continuing = new CountDownLatch(1);

    private CertificateStatus status;
    private boolean renewRequested;

    @Override
    public void run(CertificateRun input) {
      status = input.status() != null ? input.status() : CertificateStatus.initial(input.name(), "local/here");
      if ("continued".equals(status.phase())) {
        Workflow.await(() -> false); // the new run only answers queries
        return;
      }
      status = status.withPhase("waiting");
      Workflow.await(() -> renewRequested);
      if (!Workflow.isReplaying()) {
        continuing.countDown(); // the test sends its query now, while this task runs
        try {
          Thread.sleep(700);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      Workflow.continueAsNew(new CertificateRun(input.name(), status.withPhase("continued"), false));
    }

    @Override
    public CertificateStatus status() {
      return status;
    }


    @Override
    public void renewNow() {
      renewRequested = true;
    }

    @Override
    public void renewForce() {}

    @Override
    public void inventoryChanged() {}

    @Override
    public void leaseGranted(String leaseId) {}

    @Override
    public void reloaded(ReloadOutcome outcome) {}

    @Override
    public void notifyWhenSettled(SettledWaiter waiter) {}

    @Override
    public void predecessorSettled(PredecessorSettled settled) {}
  }
}
