package ai.thinkheads.phoenix.certs.workflows.coordination;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.thinkheads.phoenix.certs.workflows.certificate.ActivationResult;
import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateActivities;
import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateRef;
import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateRun;
import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateStatus;
import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateWorkflow;
import ai.thinkheads.phoenix.certs.workflows.certificate.Inspection;
import ai.thinkheads.phoenix.certs.workflows.certificate.PredecessorSettled;
import ai.thinkheads.phoenix.certs.workflows.certificate.SettledWaiter;
import ai.thinkheads.phoenix.certs.workflows.certificate.StagedCertificate;
import ai.thinkheads.phoenix.certs.workflows.certificate.StepResult;
import ai.thinkheads.phoenix.certs.workflows.failure.FailureType;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A guest's coordinator on its own: the test sends it what certificate workflows would, and stand-ins for
 * cert/a, cert/b and cert/c (on a queue of their own) record the grants and reload outcomes it sends back. Its
 * reloads run on a fake step that records each call.
 */
class GuestPairsWorkflowTest {

  static final String STAND_INS = "stand-ins";
  static final String KEY = "lxc/101 systemd [] {unit=nginx}";
  /** What the stand-ins heard, in order: "cert/a granted a1", "cert/b reloaded b1 ok", ... */
  static final List<String> HEARD = new CopyOnWriteArrayList<>();
  /** The reloads the coordinator ran, by the certificate it ran them for. */
  static final List<String> RELOADS = new CopyOnWriteArrayList<>();
  static volatile String reloadFailure;

  private TestWorkflowEnvironment env;
  private GuestPairsWorkflow pairs;

  @BeforeEach
  void start() {
    env = TestWorkflowEnvironment.newInstance();
    Worker coordinator = env.newWorker(CertificateWorkflow.TASK_QUEUE);
    coordinator.registerWorkflowImplementationTypes(GuestPairsWorkflowImpl.class);
    coordinator.registerActivitiesImplementations(new RecordingReload());
    env.newWorker(STAND_INS).registerWorkflowImplementationTypes(StandInCertificate.class);
    env.start();
    WorkflowClient client = env.getWorkflowClient();
    for (String name : List.of("a", "b", "c")) {
      WorkflowClient.start(client.newWorkflowStub(CertificateWorkflow.class, WorkflowOptions.newBuilder()
          .setWorkflowId("cert/" + name).setTaskQueue(STAND_INS).build())::run, CertificateRun.first(name));
    }
    pairs = client.newWorkflowStub(GuestPairsWorkflow.class, WorkflowOptions.newBuilder()
        .setWorkflowId("pairs/101").setTaskQueue(CertificateWorkflow.TASK_QUEUE).build());
    WorkflowClient.start(pairs::run, new GuestPairsRun("lxc/101", 0));
    pairs = client.newWorkflowStub(GuestPairsWorkflow.class, "pairs/101");
  }

  @AfterEach
  void stop() {
    env.close();
    HEARD.clear();
    RELOADS.clear();
    reloadFailure = null;
  }

  @Test
  void swapsHaveThePairsToThemselvesAndLeasesAreGrantedInTheOrderAsked() {
    pairs.acquire(new LeaseRequest("a1", "cert/a", true));
    awaitHeard("cert/a granted a1");
    pairs.acquire(new LeaseRequest("b1", "cert/b", false));
    pairs.acquire(new LeaseRequest("c1", "cert/c", true));
    pairs.acquire(new LeaseRequest("a2", "cert/a", false)); // a read behind a swap waits for it, too
    settle();
    assertEquals(List.of("cert/a granted a1"), HEARD, "nothing beside a swap");
    assertEquals(List.of("cert/a (swap)"), pairs.state().holders());
    assertEquals(List.of("cert/b", "cert/c", "cert/a"), pairs.state().waiting());

    pairs.release("a1");
    awaitHeard("cert/b granted b1");
    settle();
    assertEquals(List.of("cert/a granted a1", "cert/b granted b1"), HEARD, "c's swap waits for b's read");

    pairs.release("b1");
    awaitHeard("cert/c granted c1");
    pairs.release("c1");
    awaitHeard("cert/a granted a2");
    assertEquals(List.of("cert/a granted a1", "cert/b granted b1", "cert/c granted c1", "cert/a granted a2"), HEARD);
  }

  @Test
  void readsShareThePairs() {
    pairs.acquire(new LeaseRequest("a1", "cert/a", false));
    pairs.acquire(new LeaseRequest("b1", "cert/b", false));
    // two grants, each told to its own workflow: they may be heard in either order
    awaitHeard("cert/b granted b1");
    awaitHeard("cert/a granted a1");
    assertEquals(List.of("cert/a (read)", "cert/b (read)"), pairs.state().holders(), "both read at once");
  }

  @Test
  void certificatesRenewedTogetherShareOneReloadWhichWaitsForTheOnesThatSaidTheyWouldAsk() {
    pairs.expectReload(new ReloadExpectation(KEY, "a", true));
    pairs.expectReload(new ReloadExpectation(KEY, "b", true));
    pairs.requestReload(new ReloadRequest("b1", "cert/b", KEY, new CertificateRef("b", "d"), null));
    env.sleep(Duration.ofSeconds(5)); // past the window: the batch still waits for a
    assertEquals(List.of(), RELOADS);
    assertEquals(List.of(KEY + ": gathering 1"), pairs.state().reloads());

    pairs.requestReload(new ReloadRequest("a1", "cert/a", KEY, new CertificateRef("a", "d"), null));
    awaitHeard("cert/a reloaded a1 ok");
    awaitHeard("cert/b reloaded b1 ok");
    assertEquals(List.of("b"), RELOADS, "one reload for both");
    assertEquals(1, pairs.state().reloadsRun());
  }

  @Test
  void aBatchWaitsForAnExpectedCertificateOnlySoLong() {
    pairs.expectReload(new ReloadExpectation(KEY, "a", true));
    pairs.requestReload(new ReloadRequest("b1", "cert/b", KEY, new CertificateRef("b", "d"), null));
    env.sleep(GuestPairsWorkflowImpl.WINDOW.plus(GuestPairsWorkflowImpl.MAX_WAIT).plusSeconds(1));
    awaitHeard("cert/b reloaded b1 ok");
    assertEquals(List.of("b"), RELOADS);
  }

  @Test
  void aFailedReloadFailsEveryCertificateItServedWithItsTypeAndMessage() {
    reloadFailure = "systemctl reload nginx exited 1";
    pairs.requestReload(new ReloadRequest("a1", "cert/a", KEY, new CertificateRef("a", "d"), null));
    pairs.requestReload(new ReloadRequest("b1", "cert/b", KEY, new CertificateRef("b", "d"), null));
    awaitHeard("cert/a reloaded a1 CommandFailed Reload: systemctl reload nginx exited 1");
    awaitHeard("cert/b reloaded b1 CommandFailed Reload: systemctl reload nginx exited 1");
    assertEquals(List.of("a"), RELOADS, "not retried: the failure's type says a retry cannot help");
  }

  @Test
  void aReloadRunsUnderASharedLeaseSoASwapWaitsForIt() {
    pairs.acquire(new LeaseRequest("c1", "cert/c", true));
    awaitHeard("cert/c granted c1");
    pairs.requestReload(new ReloadRequest("a1", "cert/a", KEY, new CertificateRef("a", "d"), null));
    env.sleep(Duration.ofSeconds(3));
    assertEquals(List.of(), RELOADS, "no reload while c swaps");
    pairs.release("c1");
    awaitHeard("cert/a reloaded a1 ok");
  }

  @Test
  void aReloadRequestCanGiveBackTheRequestersLeaseInTheSameSignal() {
    pairs.acquire(new LeaseRequest("a1", "cert/a", true));
    awaitHeard("cert/a granted a1");
    pairs.acquire(new LeaseRequest("b1", "cert/b", true));
    pairs.requestReload(new ReloadRequest("a2", "cert/a", KEY, new CertificateRef("a", "d"), "a1"));
    awaitHeard("cert/b granted b1");
    settle();
    assertEquals(List.of(), RELOADS, "the reload waits for b's swap, which was asked first");
    pairs.release("b1");
    awaitHeard("cert/a reloaded a2 ok");
  }

  @Test
  void aLeaseWhoseHolderVanishedIsDroppedAfterItsLimit() {
    pairs.acquire(new LeaseRequest("a1", "cert/a", true));
    awaitHeard("cert/a granted a1");
    pairs.acquire(new LeaseRequest("b1", "cert/b", true));
    env.sleep(GuestPairsWorkflowImpl.LEASE_MAX.minusMinutes(1));
    assertEquals(List.of("cert/a granted a1"), HEARD);
    env.sleep(Duration.ofMinutes(1).plusSeconds(1));
    awaitHeard("cert/b granted b1");
  }

  /** Lets the coordinator act on what it was sent (it answers within a workflow task or two). */
  private static void settle() {
    try {
      Thread.sleep(500);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void awaitHeard(String line) {
    await(heard -> heard.contains(line), "never heard \"" + line + "\"");
  }

  private static void await(Predicate<List<String>> done, String message) {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!done.test(HEARD)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(message + "; heard " + HEARD);
      }
      Thread.onSpinWait();
    }
  }

  /** Records the grants and outcomes a certificate workflow would act on. */
  public static class StandInCertificate implements CertificateWorkflow {

    @Override
    public void run(CertificateRun input) {
      Workflow.await(() -> false);
    }

    private static void heard(String line) {
      if (!Workflow.isReplaying()) {
        HEARD.add(Workflow.getInfo().getWorkflowId() + " " + line);
      }
    }

    @Override
    public void leaseGranted(String leaseId) {
      heard("granted " + leaseId);
    }

    @Override
    public void reloaded(ReloadOutcome outcome) {
      heard("reloaded " + outcome.id() + " " + (outcome.ok() ? "ok" : outcome.failureType() + " "
          + outcome.error()));
    }

    @Override
    public CertificateStatus status() {
      return null;
    }

    @Override
    public void renewNow() {}

    @Override
    public void renewForce() {}

    @Override
    public void inventoryChanged() {}

    @Override
    public void notifyWhenSettled(SettledWaiter waiter) {}

    @Override
    public void predecessorSettled(PredecessorSettled settled) {}
  }

  /** The reload step the coordinator runs; every other step is a mistake here. */
  static final class RecordingReload implements CertificateActivities {

    @Override
    public StepResult reload(CertificateRef certificate) {
      RELOADS.add(certificate.name());
      if (reloadFailure != null) {
        throw FailureType.COMMAND_FAILED.failure(reloadFailure);
      }
      return new StepResult("reload", false, "");
    }

    @Override
    public Inspection inspect(String name) {
      throw new AssertionError("the coordinator only reloads");
    }

    @Override
    public StagedCertificate issueAndStage(CertificateRef certificate) {
      throw new AssertionError("the coordinator only reloads");
    }

    @Override
    public ActivationResult activate(CertificateRef certificate, String serial) {
      throw new AssertionError("the coordinator only reloads");
    }

    @Override
    public StepResult validate(CertificateRef certificate) {
      throw new AssertionError("the coordinator only reloads");
    }

    @Override
    public StepResult verify(CertificateRef certificate, String expectedSerial) {
      throw new AssertionError("the coordinator only reloads");
    }

    @Override
    public void settle(CertificateRef certificate) {
      throw new AssertionError("the coordinator only reloads");
    }

    @Override
    public void discardStaged(CertificateRef certificate) {
      throw new AssertionError("the coordinator only reloads");
    }

    @Override
    public String revoke(CertificateRef certificate, String serial) {
      throw new AssertionError("the coordinator only reloads");
    }

    @Override
    public String rollback(CertificateRef certificate) {
      throw new AssertionError("the coordinator only reloads");
    }
  }
}
