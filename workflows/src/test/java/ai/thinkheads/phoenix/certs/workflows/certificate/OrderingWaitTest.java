package ai.thinkheads.phoenix.certs.workflows.certificate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateStatus.Outcome;
import ai.thinkheads.phoenix.certs.workflows.coordination.ReloadOutcome;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code after}: a certificate that comes after another asks it to say when it is between cycles, and waits for
 * that (at most {@link CertificateWorkflowImpl#ORDER_WAIT}) after staging and before activating. The predecessor
 * here is a stand-in for cert/db on a queue of its own, which records what it is asked and answers when told to.
 */
class OrderingWaitTest {

  static final String STAND_INS = "stand-ins";
  static final List<SettledWaiter> ASKED = new CopyOnWriteArrayList<>();

  private CertificateCycle cycle;

  @AfterEach
  void close() {
    ASKED.clear();
    if (cycle != null) {
      cycle.close();
    }
  }

  @Test
  void aPredecessorThatNeverSettlesIsWaitedForTenMinutesThenTheCertificateGoesAheadAndSaysWhy() {
    cycle = withStandIn();
    WorkflowClient.start(cycle.starter()::run, CertificateRun.first(CertificateCycle.NAME));

    awaitAsked();
    assertEquals(List.of("inspect", "issueAndStage"), cycle.target.calls(), "it staged, then waits");
    assertEquals(List.of(new SettledWaiter("web", ScriptedTarget.policy().reloadKey())), ASKED);
    cycle.sleep(CertificateWorkflowImpl.ORDER_WAIT.minusMinutes(1));
    assertEquals(List.of("inspect", "issueAndStage"), cycle.target.calls(), "still waiting after 9 min");

    cycle.sleep(Duration.ofMinutes(1).plusSeconds(1));
    CertificateStatus status = cycle.next();
    assertEquals(List.of("inspect", "issueAndStage", "activate 01", "validate", "reload", "verify 01", "settle"),
        cycle.target.calls());
    assertEquals(Outcome.ISSUED, status.lastOutcome());
    assertEquals("went ahead after waiting 10 min for db", status.note());
  }

  @Test
  void aPredecessorThatSaysItIsBetweenCyclesLetsTheCertificateGoOnAtOnce() {
    cycle = withStandIn();
    WorkflowClient.start(cycle.starter()::run, CertificateRun.first(CertificateCycle.NAME));

    awaitAsked();
    cycle.env.getWorkflowClient().newWorkflowStub(StandInTrigger.class, "cert/db").settle();
    CertificateStatus status = cycle.next();
    assertEquals(Outcome.ISSUED, status.lastOutcome());
    assertEquals(null, status.note(), "nothing was skipped");
    assertTrue(Duration.between(cycle.start, status.lastAttempt()).compareTo(Duration.ofMinutes(1)) < 0,
        "no ten-minute wait: " + status.lastAttempt());
  }

  private CertificateCycle withStandIn() {
    CertificateCycle made = new CertificateCycle(ScriptedTarget.policy(true, true, true, List.of("db")),
        env -> env.newWorker(STAND_INS).registerWorkflowImplementationTypes(StandInPredecessor.class));
    WorkflowClient.start(made.env.getWorkflowClient().newWorkflowStub(CertificateWorkflow.class,
        WorkflowOptions.newBuilder().setWorkflowId("cert/db").setTaskQueue(STAND_INS).build())::run,
        CertificateRun.first("db"));
    return made;
  }

  private static void awaitAsked() {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (ASKED.isEmpty()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("cert/web never asked cert/db to tell it when it settles");
      }
      Thread.onSpinWait();
    }
  }

  /** The test's way to make the stand-in answer. */
  @WorkflowInterface
  public interface StandInTrigger {
    @SignalMethod(name = "testSettle")
    void settle();
  }

  /** Stands in for cert/db: records who waits on it and tells them it settled when the test says so. */
  public static class StandInPredecessor implements CertificateWorkflow, StandInTrigger {
    private boolean settle;
    private final List<SettledWaiter> waiting = new java.util.ArrayList<>();

    @Override
    public void run(CertificateRun input) {
      while (true) {
        Workflow.await(() -> settle && !waiting.isEmpty());
        for (SettledWaiter waiter : List.copyOf(waiting)) {
          Workflow.newExternalWorkflowStub(CertificateWorkflow.class,
              CertificateWorkflow.workflowIdFor(waiter.dependent())).predecessorSettled(
                  new PredecessorSettled("db", false));
        }
        waiting.clear();
      }
    }

    @Override
    public void settle() {
      settle = true;
    }

    @Override
    public void notifyWhenSettled(SettledWaiter waiter) {
      if (!Workflow.isReplaying()) {
        ASKED.add(waiter);
      }
      waiting.add(waiter);
    }

    @Override
    public CertificateStatus status() {
      return CertificateStatus.initial("db", "lxc/101");
    }

    @Override
    public void renewNow() {}

    @Override
    public void renewForce() {}

    @Override
    public void inventoryChanged() {}

    @Override
    public void leaseGranted(String leaseId) {}

    @Override
    public void reloaded(ReloadOutcome outcome) {}

    @Override
    public void predecessorSettled(PredecessorSettled settled) {}
  }
}
