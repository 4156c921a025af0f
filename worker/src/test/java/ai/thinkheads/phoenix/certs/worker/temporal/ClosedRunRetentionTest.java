package ai.thinkheads.phoenix.certs.worker.temporal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.worker.WorkerFactory;
import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The embedded server's retention: a workflow that continued as new six times has seven runs; a sweep keeping two
 * closed runs drops the four oldest (their histories are gone: NOT_FOUND, as after retention on a real server),
 * keeps the two latest closed runs and the current one, and the workflow goes on and completes. A sweep never
 * drops a workflow's current run, closed or not.
 */
class ClosedRunRetentionTest {

  static final String QUEUE = "retention-test";

  @WorkflowInterface
  public interface Chain {
    @WorkflowMethod
    String run(int left);

    @SignalMethod
    void finish();

    @QueryMethod
    int left();
  }

  public static class ChainImpl implements Chain {
    private boolean finished;
    private int left;

    @Override
    public String run(int left) {
      this.left = left;
      if (left > 0) {
        Workflow.continueAsNew(left - 1);
      }
      Workflow.await(() -> finished);
      return "finished";
    }

    @Override
    public void finish() {
      finished = true;
    }

    @Override
    public int left() {
      return left;
    }
  }

  @Test
  void dropsClosedRunsBeyondTheLatestKeptAndNeverTheCurrentOne() throws Exception {
    try (LoopbackTestServer server = LoopbackTestServer.start(0)) {
      WorkflowServiceStubs stubs = WorkflowServiceStubs.newServiceStubs(
          WorkflowServiceStubsOptions.newBuilder().setTarget(server.target()).build());
      WorkerFactory factory = WorkerFactory.newInstance(WorkflowClient.newInstance(stubs));
      try {
        factory.newWorker(QUEUE).registerWorkflowImplementationTypes(ChainImpl.class);
        factory.start();
        WorkflowClient client = factory.getWorkflowClient();
        Chain chain = client.newWorkflowStub(Chain.class,
            WorkflowOptions.newBuilder().setTaskQueue(QUEUE).setWorkflowId("chain").build());
        WorkflowClient.start(chain::run, 6);
        Chain current = client.newWorkflowStub(Chain.class, "chain");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (current.left() != 0) {
          assertTrue(System.nanoTime() < deadline, "the chain did not reach its last run");
          Thread.sleep(50);
        }
        List<String> runs = runsBack(client);
        assertEquals(7, runs.size(), "runs before the sweep: " + runs);

        assertEquals(4, server.sweepNow(2), "closed runs dropped");
        List<String> kept = runsBack(client);
        assertEquals(runs.subList(0, 3), kept, "the current run and the two latest closed ones");
        StatusRuntimeException gone = assertThrows(StatusRuntimeException.class,
            () -> client.fetchHistory("chain", runs.get(6)));
        assertEquals(Status.Code.NOT_FOUND, gone.getStatus().getCode());

        current.finish();
        assertEquals("finished", WorkflowStub.fromTyped(current).getResult(30, TimeUnit.SECONDS, String.class));
        assertEquals(0, server.sweepNow(2), "a completed current run and the two kept stay");
        assertEquals(2, server.sweepNow(0), "keeping none drops the two but never the current run");
        assertEquals("finished", client.newUntypedWorkflowStub("chain").getResult(String.class));
      } finally {
        factory.shutdownNow();
        factory.awaitTermination(10, TimeUnit.SECONDS);
        stubs.shutdownNow();
      }
    }
  }

  @Test
  void keepRunsIsACountOrAll() {
    assertEquals(2, LoopbackTestServer.keepRuns("2"));
    assertEquals(-1, LoopbackTestServer.keepRuns("all"));
    IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
        () -> LoopbackTestServer.keepRuns("-3"));
    assertTrue(bad.getMessage().contains("PHOENIX_EMBEDDED_KEEP_RUNS=-3"), bad.getMessage());
  }

  /** The chain's run ids from the current one back, as far as histories are there. */
  private static List<String> runsBack(WorkflowClient client) {
    List<String> runs = new ArrayList<>();
    String runId = client.newUntypedWorkflowStub("chain").describe().getExecution().getRunId();
    while (!runId.isEmpty()) {
      List<HistoryEvent> events;
      try {
        events = client.fetchHistory("chain", runId).getEvents();
      } catch (StatusRuntimeException e) {
        assertEquals(Status.Code.NOT_FOUND, e.getStatus().getCode());
        break;
      }
      runs.add(runId);
      runId = events.get(0).getWorkflowExecutionStartedEventAttributes().getContinuedExecutionRunId();
    }
    return runs;
  }
}
