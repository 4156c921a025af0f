package ai.thinkheads.phoenix.certs.worker.temporal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityOptions;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.worker.WorkerFactory;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.lang.reflect.Field;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The embedded server's timer logs every time-skipping lock in a list that only grows (and is scanned on each
 * unlock); the loopback server swaps it for one that keeps nothing. The same workflows run on a server as the SDK
 * builds it and on ours: the first list grows with the work done, ours stays empty, and both run every workflow.
 */
class LockEventLogTest {

  static final int RUNS = 30;
  static final String QUEUE = "lock-log-test";

  @WorkflowInterface
  public interface Echo {
    @WorkflowMethod
    String run(String text);
  }

  @ActivityInterface
  public interface Upper {
    String upper(String text);
  }

  public static class EchoImpl implements Echo {
    private final Upper upper = Workflow.newActivityStub(Upper.class,
        ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofSeconds(30)).build());

    @Override
    public String run(String text) {
      Workflow.sleep(Duration.ofMillis(10));
      return upper.upper(text);
    }
  }

  @Test
  void theSdksServerKeepsEveryLockEventOursKeepsNone() throws Exception {
    int kept = runAll(false);
    int ours = runAll(true);
    assertTrue(kept >= RUNS, "the SDK's test server kept " + kept + " lock events after " + RUNS + " workflows; "
        + "if it no longer leaks, LockEventLog may be dropped");
    assertEquals(0, ours, "lock events kept by the loopback server");
  }

  @Test
  void aMissingFieldLeavesTheServerAsItIs() {
    try (LoopbackTestServer server = LoopbackTestServer.start(0, false)) {
      assertTrue(LockEventLog.discardEvents(server.services()));
      assertTrue(LockEventLog.discardEvents(server.services()), "a second swap is harmless");
    }
  }

  /** Runs {@link #RUNS} workflows with one timer and one activity each; the lock events the timer then holds. */
  private static int runAll(boolean discard) throws Exception {
    try (LoopbackTestServer server = LoopbackTestServer.start(0, discard)) {
      WorkflowServiceStubs stubs = WorkflowServiceStubs.newServiceStubs(
          WorkflowServiceStubsOptions.newBuilder().setTarget(server.target()).build());
      WorkerFactory factory = WorkerFactory.newInstance(WorkflowClient.newInstance(stubs));
      try {
        var worker = factory.newWorker(QUEUE);
        worker.registerWorkflowImplementationTypes(EchoImpl.class);
        worker.registerActivitiesImplementations((Upper) String::toUpperCase);
        factory.start();
        WorkflowClient client = factory.getWorkflowClient();
        List<Echo> runs = java.util.stream.IntStream.range(0, RUNS).mapToObj(i -> client.newWorkflowStub(Echo.class,
            WorkflowOptions.newBuilder().setTaskQueue(QUEUE).setWorkflowId("echo-" + i).build())).toList();
        runs.forEach(run -> WorkflowClient.start(run::run, "x"));
        for (Echo run : runs) {
          assertEquals("X", WorkflowStub.fromTyped(run).getResult(30, TimeUnit.SECONDS, String.class));
        }
        Object events = lockEvents(server);
        if (discard) {
          assertInstanceOf(LockEventLog.Discarding.class, events);
        }
        return ((List<?>) events).size();
      } finally {
        factory.shutdownNow();
        factory.awaitTermination(10, TimeUnit.SECONDS);
        stubs.shutdownNow();
      }
    }
  }

  private static Object lockEvents(LoopbackTestServer server) throws Exception {
    Field timerField = server.services().getClass().getDeclaredField("selfAdvancingTimer");
    timerField.setAccessible(true);
    Object timer = timerField.get(server.services());
    Field events = timer.getClass().getDeclaredField("lockEvents");
    events.setAccessible(true);
    return events.get(timer);
  }
}
