package ai.thinkheads.phoenix.certs.workflows.certificate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.thinkheads.phoenix.certs.workflows.coordination.GuestPairsRun;
import ai.thinkheads.phoenix.certs.workflows.coordination.GuestPairsWorkflow;
import ai.thinkheads.phoenix.certs.workflows.coordination.GuestPairsWorkflowImpl;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;

/**
 * One certificate's workflow on the time-skipping test environment, its steps played by a {@link ScriptedTarget}
 * (a worker with the real workflow, its guest's real coordinator, and the fake steps, as temporalio/samples-java
 * tests a workflow). Time moves
 * only in {@link #sleep}; a run's status is read only while it waits ({@link RunWatch}).
 */
final class CertificateCycle implements AutoCloseable {

  static final String NAME = "web";
  static final String WORKFLOW_ID = CertificateWorkflow.workflowIdFor(NAME);

  final TestWorkflowEnvironment env;
  final ScriptedTarget target;
  /** The test's time zero: the environment's clock when the cycle was set up. */
  final Instant start;
  private final RunWatch watch;
  private String run;

  CertificateCycle(CertificatePolicy policy) {
    this(policy, env -> {});
  }

  /** @param more more workers for the environment (stand-ins for other workflows), set up before it starts */
  CertificateCycle(CertificatePolicy policy, Consumer<TestWorkflowEnvironment> more) {
    env = TestWorkflowEnvironment.newInstance();
    target = new ScriptedTarget(env::currentTimeMillis, policy);
    more.accept(env);
    Worker worker = env.newWorker(CertificateWorkflow.TASK_QUEUE);
    worker.registerWorkflowImplementationTypes(CertificateWorkflowImpl.class, GuestPairsWorkflowImpl.class);
    worker.registerActivitiesImplementations(target);
    env.start();
    // as the reconcile pass does before it starts the guest's certificates
    WorkflowClient.start(env.getWorkflowClient().newWorkflowStub(GuestPairsWorkflow.class, WorkflowOptions
        .newBuilder().setWorkflowId(GuestPairsWorkflow.workflowIdFor(policy.guestId()))
        .setTaskQueue(CertificateWorkflow.TASK_QUEUE).build())::run, new GuestPairsRun(policy.guestId(), 0));
    watch = new RunWatch(env.getWorkflowClient(), WORKFLOW_ID);
    start = now();
  }

  CertificateCycle() {
    this(ScriptedTarget.policy());
  }

  /** Starts the workflow as the worker does (a name only) and returns the first run's status once it waits. */
  CertificateStatus start() {
    WorkflowClient.start(starter()::run, CertificateRun.first(NAME));
    return next();
  }

  /** A stub that starts the workflow with the ID and task queue the worker uses. */
  CertificateWorkflow starter() {
    return env.getWorkflowClient().newWorkflowStub(CertificateWorkflow.class,
        WorkflowOptions.newBuilder().setWorkflowId(WORKFLOW_ID).setTaskQueue(CertificateWorkflow.TASK_QUEUE)
            .build());
  }

  /** The status of the next run once it waits: the run after the last one this cycle has seen waiting. */
  CertificateStatus next() {
    RunWatch.Waiting waiting = watch.awaitWaiting(run);
    run = waiting.runId();
    return waiting.status();
  }

  /** The status of the run seen last, asked again once it waits (after a signal that must not end it). */
  CertificateStatus sameRun() {
    RunWatch.Waiting waiting = watch.awaitWaiting(null);
    assertEquals(run, waiting.runId(), "still the same run");
    return waiting.status();
  }

  /** Moves the environment's clock by {@code duration}, running whatever falls due meanwhile. */
  void sleep(Duration duration) {
    env.sleep(duration);
  }

  /**
   * Moves the clock a second past {@code at} (a next attempt time) and returns the run that follows. (Between
   * sleeps the test server's clock runs at wall speed: on a slow machine {@code at} may have passed already.)
   */
  CertificateStatus sleepPast(Instant at) {
    Duration wait = Duration.between(now(), at).plusSeconds(1);
    if (!wait.isNegative() && !wait.isZero()) {
      env.sleep(wait);
    }
    return next();
  }

  Instant now() {
    return Instant.ofEpochMilli(env.currentTimeMillis());
  }

  /** The current run, for signals. */
  CertificateWorkflow workflow() {
    return env.getWorkflowClient().newWorkflowStub(CertificateWorkflow.class, WORKFLOW_ID);
  }

  String runId() {
    return watch.runId();
  }

  @Override
  public void close() {
    env.close();
  }
}
