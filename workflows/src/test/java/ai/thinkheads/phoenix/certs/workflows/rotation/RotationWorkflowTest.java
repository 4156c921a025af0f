package ai.thinkheads.phoenix.certs.workflows.rotation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateRun;
import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateStatus;
import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateWorkflow;
import ai.thinkheads.phoenix.certs.workflows.certificate.PredecessorSettled;
import ai.thinkheads.phoenix.certs.workflows.certificate.SettledWaiter;
import ai.thinkheads.phoenix.certs.workflows.coordination.ReloadOutcome;
import ai.thinkheads.phoenix.certs.workflows.failure.FailureType;
import ai.thinkheads.phoenix.certs.workflows.guest.GuestOnboardingStatus;
import ai.thinkheads.phoenix.certs.workflows.guest.GuestOnboardingWorkflow;
import ai.thinkheads.phoenix.certs.workflows.guest.OnboardingRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * RotationWorkflowImpl on its own, on the time-skipping test environment: scripted steps, stand-in guest
 * onboardings (which record what phase the rotation was in when they ran) and stand-in certificate workflows
 * (which count the renewForce they are sent). The real components are in the worker's CaRotationEndToEndTest.
 */
class RotationWorkflowTest {

  static final List<String> ONBOARDED = Collections.synchronizedList(new ArrayList<>());
  static final Set<String> DOWN = ConcurrentHashMap.newKeySet();
  static final Map<String, Integer> FORCED = new ConcurrentHashMap<>();
  /** Guests whose onboarding neither ends nor fails (an SSH connection that hangs) while they are listed. */
  static final Set<String> HANGING = ConcurrentHashMap.newKeySet();
  /** Onboardings under way now, and the most at once (each takes 10 s when SLOW is set). */
  static final java.util.concurrent.atomic.AtomicInteger RUNNING = new java.util.concurrent.atomic.AtomicInteger();
  static final java.util.concurrent.atomic.AtomicInteger MOST = new java.util.concurrent.atomic.AtomicInteger();
  static volatile boolean slow;

  TestWorkflowEnvironment env;
  WorkflowClient client;
  Scripted steps;

  /** Stand-in for the guest's onboarding: fails while the guest is "down". */
  public static class Onboarding implements GuestOnboardingWorkflow {
    @Override
    public GuestOnboardingStatus onboard(OnboardingRequest request) {
      String guest = GuestOnboardingWorkflow.guestRef(Workflow.getInfo().getWorkflowId());
      if (DOWN.contains(guest)) {
        throw FailureType.ONBOARDING_FAILED.failure(guest + " does not answer");
      }
      if (slow && !Workflow.isReplaying()) {
        MOST.accumulateAndGet(RUNNING.incrementAndGet(), Math::max);
        Workflow.sleep(Duration.ofSeconds(10));
        RUNNING.decrementAndGet();
      }
      while (HANGING.contains(guest)) {
        Workflow.sleep(Duration.ofSeconds(5)); // a static set wakes nothing: look again now and then
      }
      ONBOARDED.add(guest + " " + request.reason());
      return new GuestOnboardingStatus(guest, "done", List.of(), List.of(), "ok", null);
    }

    @Override
    public GuestOnboardingStatus status() {
      return null;
    }
  }

  /** Stand-in certificate workflow: counts renewForce, otherwise waits. */
  public static class Certificate implements CertificateWorkflow {
    @Override
    public void run(CertificateRun input) {
      Workflow.await(() -> false);
    }

    @Override
    public CertificateStatus status() {
      return null;
    }

    @Override
    public void renewNow() {}

    @Override
    public void renewForce() {
      FORCED.merge(Workflow.getInfo().getWorkflowId().substring("cert/".length()), 1, Integer::sum);
    }

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

  /** The worker's side: the plan, and chains that move to the new root once the certificate was forced. */
  static final class Scripted implements RotationActivities {
    volatile String toRoot = "new-root";
    volatile boolean reissueWorks = true;
    volatile boolean listed = true;

    @Override
    public RotationPlan planRotation(RotationTarget to) {
      return new RotationPlan("ca-a", "ca-b", "old-root", toRoot, List.of("101", "102", "103"),
          List.of("web", "api"));
    }

    @Override
    public ChainCheck checkChain(String name, boolean retired) {
      int forced = FORCED.getOrDefault(name, 0);
      return new ChainCheck(name, "serial-" + forced, reissueWorks && forced > 0, "forced " + forced);
    }

    @Override
    public boolean stillListed(String fromCa, String toCa) {
      return listed;
    }
  }

  @BeforeEach
  void setUp() {
    ONBOARDED.clear();
    DOWN.clear();
    HANGING.clear();
    FORCED.clear();
    RUNNING.set(0);
    MOST.set(0);
    slow = false;
    env = TestWorkflowEnvironment.newInstance();
    Worker worker = env.newWorker(CertificateWorkflow.TASK_QUEUE);
    worker.registerWorkflowImplementationTypes(RotationWorkflowImpl.class, Onboarding.class, Certificate.class);
    steps = new Scripted();
    steps.listed = false;
    worker.registerActivitiesImplementations(steps);
    env.start();
    client = env.getWorkflowClient();
    for (String name : List.of("web", "api")) {
      WorkflowClient.start(client.newWorkflowStub(CertificateWorkflow.class, WorkflowOptions.newBuilder()
          .setWorkflowId("cert/" + name).setTaskQueue(CertificateWorkflow.TASK_QUEUE).build())::run,
          CertificateRun.first(name));
    }
  }

  @AfterEach
  void tearDown() {
    env.close();
  }

  RotationWorkflow start(RotationRequest request) {
    RotationWorkflow rotation = client.newWorkflowStub(RotationWorkflow.class, WorkflowOptions.newBuilder()
        .setWorkflowId(RotationWorkflow.WORKFLOW_ID).setTaskQueue(CertificateWorkflow.TASK_QUEUE).build());
    WorkflowClient.start(rotation::rotate, request);
    return client.newWorkflowStub(RotationWorkflow.class, RotationWorkflow.WORKFLOW_ID);
  }

  RotationProgress result() {
    return client.newUntypedWorkflowStub(RotationWorkflow.WORKFLOW_ID).getResult(RotationProgress.class);
  }

  @Test
  void overlapThenReissueThenRetireAfterTheGracePeriod() {
    RotationWorkflow rotation = start(new RotationRequest(RotationTarget.NEXT, "test", Duration.ofDays(7), false,
        1));
    env.sleep(Duration.ofMinutes(5));
    RotationProgress grace = rotation.progress();
    assertEquals(RotationPhase.GRACE, grace.phase(), grace.toString());
    assertEquals(3, grace.guestsDone());
    assertEquals(2, grace.certificatesDone());
    assertEquals(List.of("101 ca rotation, overlap", "102 ca rotation, overlap", "103 ca rotation, overlap"),
        sorted(ONBOARDED));
    assertEquals(Map.of("web", 1, "api", 1), FORCED, "every certificate renewed once");
    assertTrue(grace.retireAt() != null);

    env.sleep(Duration.ofDays(7));
    RotationProgress done = result();
    assertEquals(RotationPhase.DONE, done.phase());
    assertEquals(6, ONBOARDED.size());
    assertEquals(List.of("101 ca rotation, retire", "102 ca rotation, retire", "103 ca rotation, retire"),
        sorted(ONBOARDED.subList(3, 6)));
  }

  @Test
  void retireNowSkipsTheGracePeriod() {
    long before = env.currentTimeMillis();
    start(new RotationRequest(RotationTarget.NEXT, "test", Duration.ofDays(7), true, 2));
    RotationProgress done = result();
    assertEquals(RotationPhase.DONE, done.phase());
    assertTrue(env.currentTimeMillis() - before < Duration.ofDays(6).toMillis(), "the 7-day grace period was not waited");
    assertEquals(6, ONBOARDED.size());
  }

  @Test
  void anIntermediateOnlyRotationTouchesNoTrustStore() {
    steps.toRoot = "old-root";
    start(new RotationRequest(RotationTarget.NEXT, "test", null, false, null));
    RotationProgress done = result();
    assertEquals(RotationPhase.DONE, done.phase());
    assertEquals(List.of(), ONBOARDED);
    assertEquals(0, done.guestsTotal());
    assertEquals(2, done.certificatesDone());
    assertEquals(Map.of("web", 1, "api", 1), FORCED);
  }

  @Test
  void abortDuringReissueStopsBeforeRetiringAndKeepsBothRoots() {
    steps.reissueWorks = false;
    RotationWorkflow rotation = start(new RotationRequest(RotationTarget.NEXT, "test", null, true, 1));
    env.sleep(Duration.ofMinutes(1));
    RotationProgress reissuing = rotation.progress();
    assertEquals(RotationPhase.REISSUE, reissuing.phase());
    assertEquals(0, reissuing.certificatesDone());
    assertTrue(reissuing.waiting().stream().anyMatch(w -> w.startsWith("certificate web")), reissuing.toString());
    rotation.abort();
    RotationProgress aborted = result();
    assertEquals(RotationPhase.ABORTED, aborted.phase());
    assertEquals(3, ONBOARDED.size(), "the old root was never removed: no retire onboarding");
    assertEquals(0, FORCED.getOrDefault("api", 0), "concurrency 1: api never started");
  }

  @Test
  void aGuestThatIsDownIsReportedDoesNotHoldUpReissueAndHoldsUpRetiring() {
    DOWN.add("103");
    RotationWorkflow rotation = start(new RotationRequest(RotationTarget.NEXT, "test", null, true, 2));
    env.sleep(Duration.ofMinutes(4));
    RotationProgress waiting = rotation.progress();
    assertEquals(RotationPhase.RETIRE, waiting.phase(), waiting.toString());
    assertEquals(2, waiting.certificatesDone(), "re-issued without the guest that is down");
    assertTrue(waiting.waiting().stream().anyMatch(w -> w.startsWith("guest 103: ")), waiting.toString());
    DOWN.remove("103");
    RotationProgress done = result();
    assertEquals(RotationPhase.DONE, done.phase());
    assertEquals(3, done.guestsDone());
    assertTrue(ONBOARDED.contains("103 ca rotation, retire"));
  }

  @Test
  void reissueStartsAfterGuestWaitWithAGuestThatHangsAndReportsIt() {
    HANGING.add("102");
    RotationWorkflow rotation = start(new RotationRequest(RotationTarget.NEXT, "test", null, false, 2,
        Duration.ofSeconds(20)));
    env.sleep(Duration.ofSeconds(18));
    assertEquals(RotationPhase.OVERLAP, rotation.progress().phase(), "waits for every guest up to guestWait");
    env.sleep(Duration.ofSeconds(10));
    RotationProgress reissuing = rotation.progress();
    assertEquals(RotationPhase.REISSUE, reissuing.phase(), reissuing.toString());
    assertEquals(2, reissuing.guestsDone(), reissuing.toString());
    assertTrue(reissuing.waiting().stream().anyMatch(w -> w.startsWith("guest 102: not answering yet")
        && w.endsWith("retried every 20 s)")), reissuing.toString());
    HANGING.clear();
    env.sleep(Duration.ofMinutes(2));
    RotationProgress grace = rotation.progress();
    assertEquals(RotationPhase.GRACE, grace.phase(), grace.toString());
    assertEquals(3, grace.guestsDone(), "the guest that answered late is done: " + grace);
  }

  @Test
  void aGuestWaitingForASlotBehindOneThatHangsIsReportedToo() {
    HANGING.add("101");
    RotationWorkflow rotation = start(new RotationRequest(RotationTarget.NEXT, "test", null, false, 1,
        Duration.ofSeconds(20)));
    env.sleep(Duration.ofSeconds(28));
    RotationProgress reissuing = rotation.progress();
    assertEquals(RotationPhase.REISSUE, reissuing.phase(), reissuing.toString());
    assertEquals(0, reissuing.guestsDone(), reissuing.toString());
    assertTrue(reissuing.waiting().stream().anyMatch(w -> w.startsWith("guest 101: not answering yet")),
        reissuing.toString());
    assertTrue(reissuing.waiting().stream().anyMatch(w -> w.equals("guest 102: waiting for one of 1 onboarding "
        + "slots")), reissuing.toString());
    HANGING.clear();
    env.sleep(Duration.ofMinutes(2));
    assertEquals(3, rotation.progress().guestsDone(), rotation.progress().toString());
  }

  @Test
  void guestsAreOnboardedConcurrencyAtATime() {
    slow = true;
    start(new RotationRequest(RotationTarget.NEXT, "test", null, true, 2));
    RotationProgress done = result();
    assertEquals(RotationPhase.DONE, done.phase(), done.toString());
    assertEquals(3, done.guestsDone());
    assertEquals(2, MOST.get(), "three guests, two at once");
  }

  @Test
  void pauseHoldsNewStepsUntilResume() {
    RotationWorkflow rotation = start(new RotationRequest(RotationTarget.NEXT, "test", null, true, 1));
    rotation.pause();
    env.sleep(Duration.ofMinutes(10));
    RotationProgress paused = rotation.progress();
    assertTrue(paused.paused());
    assertTrue(paused.certificatesDone() < 2, paused.toString());
    rotation.resume();
    assertEquals(RotationPhase.DONE, result().phase());
  }

  private static List<String> sorted(List<String> values) {
    List<String> copy = new ArrayList<>(values);
    Collections.sort(copy);
    return copy;
  }
}
