package ai.thinkheads.phoenix.certs.activities.certificate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.thinkheads.phoenix.certs.activities.testing.LocalStack;
import ai.thinkheads.phoenix.certs.activities.testing.SpecSteps;
import ai.thinkheads.phoenix.certs.activities.testing.TemporalClock;
import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateStatus;
import ai.thinkheads.phoenix.certs.workflows.certificate.RenewalPolicy;
import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateStatus.Outcome;
import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateWorkflow;
import ai.thinkheads.phoenix.certs.activities.testing.CertificateWorkers;
import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateRun;
import ai.thinkheads.phoenix.certs.workflows.certificate.TargetState;
import ai.thinkheads.phoenix.certs.workflows.model.CertificateSpec;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The certificate lifecycle on Temporal's test server with time skipping, real local CA and real files. */
class CertificateWorkflowTest {

  static final Duration LIFETIME = Duration.ofHours(3);

  @TempDir
  Path dir;

  TestWorkflowEnvironment env;
  WorkflowClient client;
  SpecSteps activities;

  @BeforeEach
  void setUp() {
    env = TestWorkflowEnvironment.newInstance();
    activities = LocalStack.steps(LocalStack.issuer(dir, new TemporalClock(env::currentTimeMillis)),
        new TemporalClock(env::currentTimeMillis));
    Worker worker = env.newWorker(CertificateWorkflow.TASK_QUEUE);
    CertificateWorkers.register(worker, env.getWorkflowClient(), activities.authority(), activities.activities());
    env.start();
    client = env.getWorkflowClient();
  }

  @AfterEach
  void tearDown() {
    env.close();
  }

  @Test
  void renewalFiresAtTwoThirdsOfTheLifetimeAndContinuesAsNew() {
    CertificateSpec spec = LocalStack.spec(dir, "web", LIFETIME);
    WorkflowExecution firstRun = start(spec);
    CertificateStatus issued = await(spec, s -> s.lastOutcome() == Outcome.ISSUED);
    TargetState held = activities.inspect(spec);
    Duration span = Duration.between(held.notBefore(), held.notAfter());
    // two thirds of the lifetime, spread later by up to a tenth of what remains (so batches drift apart)
    Instant twoThirds = held.notBefore().plus(span.multipliedBy(2).dividedBy(3));
    assertEquals(RenewalPolicy.spread(spec.name(), twoThirds, held.notAfter()), issued.nextRenewal());

    env.sleep(Duration.ofMinutes(115)); // a few minutes short of 2/3 of three hours
    assertEquals(issued.serial(), status(spec).serial(), "renewed too early");
    assertEquals(issued.serial(), activities.inspect(spec).serial());

    env.sleep(Duration.ofMinutes(15)); // past 2/3 and the spread (at most 6 of the last 60 minutes)
    CertificateStatus renewed = await(spec, s -> s.lastOutcome() == Outcome.RENEWED);
    assertNotEquals(issued.serial(), renewed.serial());
    assertEquals(renewed.serial(), activities.inspect(spec).serial(), "the target holds the renewed pair");
    assertEquals(2, renewed.renewals(), "status survived continue-as-new");
    String currentRun = client.newUntypedWorkflowStub(spec.workflowId()).getExecution().getRunId();
    assertNotEquals(firstRun.getRunId(), currentRun, "each cycle is a new run");
    assertTrue(Files.exists(dir.resolve("reloaded")));
  }

  @Test
  void renewNowRenewsAtOnce() {
    CertificateSpec spec = LocalStack.spec(dir, "web", LIFETIME);
    start(spec);
    CertificateStatus issued = await(spec, s -> s.lastOutcome() == Outcome.ISSUED);

    client.newWorkflowStub(CertificateWorkflow.class, spec.workflowId()).renewNow();
    CertificateStatus renewed = await(spec, s -> s.lastOutcome() == Outcome.RENEWED);
    assertNotEquals(issued.serial(), renewed.serial());
    assertTrue(env.currentTimeMillis() < issued.nextRenewal().toEpochMilli(), "renewed before its renewal point");
  }

  @Test
  void aFailingReloadLeavesThePreviousCertificateInPlace() {
    CertificateSpec spec = LocalStack.spec(dir, "web", LIFETIME);
    start(spec);
    CertificateStatus issued = await(spec, s -> s.lastOutcome() == Outcome.ISSUED);

    // The reload fails once (the new pair is rejected), then works: the rollback's own reload and the retry.
    Path failedOnce = dir.resolve("failed-once");
    CertificateSpec broken = CertificateActivitiesImplTest.withReload(spec, List.of("sh", "-c",
        "if [ -e \"$1\" ]; then exit 0; fi; touch \"$1\"; echo 'nginx: [emerg] cannot load certificate' >&2; exit 1",
        "reload", failedOnce.toString()));
    CertificateWorkflow workflow = client.newWorkflowStub(CertificateWorkflow.class, spec.workflowId());
    activities.estate().put(broken); // the inventory file changed...
    workflow.inventoryChanged(); // ...and reconcile told the workflow
    workflow.renewNow();
    CertificateStatus failed = await(spec, s -> s.lastOutcome() == Outcome.ROLLED_BACK);

    assertEquals(issued.serial(), failed.serial(), "status names the previous certificate as live");
    assertTrue(failed.lastError().contains("cannot load certificate"), failed.lastError());
    // "rolled back to X" with nothing after it: the rollback restored X, reloaded, and read X back (verify)
    assertTrue(failed.lastError().endsWith("rolled back to " + issued.serial()), failed.lastError());

    // The requested renewal stays requested: the retry renews once the service accepts the pair.
    CertificateStatus renewed = await(spec, s -> s.lastOutcome() == Outcome.RENEWED);
    TargetState target = activities.inspect(spec);
    assertTrue(target.usable(), "key and certificate match: " + target.problem());
    assertEquals(renewed.serial(), target.serial());
    assertNotEquals(issued.serial(), renewed.serial());
  }

  @Test
  void captureHistoryForTheReplayTest() throws Exception {
    CertificateSpec spec = LocalStack.spec(dir, "web", LIFETIME);
    WorkflowExecution run = start(spec);
    await(spec, s -> s.lastOutcome() == Outcome.ISSUED);
    client.newWorkflowStub(CertificateWorkflow.class, spec.workflowId()).renewNow();
    await(spec, s -> s.lastOutcome() == Outcome.RENEWED);
    WorkflowExecutionHistory history = client.fetchHistory(spec.workflowId(), run.getRunId());
    assertTrue(history.getEvents().size() > 10, "the first run holds the whole issuance");
    String target = System.getProperty("phoenix.captureHistory");
    if (target != null) {
      Files.writeString(Path.of(target), history.toJson(true));
    }
  }

  private WorkflowExecution start(CertificateSpec spec) {
    activities.estate().put(spec);
    CertificateWorkflow workflow = client.newWorkflowStub(CertificateWorkflow.class, WorkflowOptions.newBuilder()
        .setWorkflowId(spec.workflowId()).setTaskQueue(CertificateWorkflow.TASK_QUEUE).build());
    return WorkflowClient.start(workflow::run, CertificateRun.first(spec.name()));
  }

  private CertificateStatus status(CertificateSpec spec) {
    return client.newWorkflowStub(CertificateWorkflow.class, spec.workflowId()).status();
  }

  /** Polls the status query (in real time; the test server skips time while the workflow waits). */
  private CertificateStatus await(CertificateSpec spec, Predicate<CertificateStatus> condition) {
    long deadline = System.currentTimeMillis() + 30_000;
    CertificateStatus last = null;
    while (System.currentTimeMillis() < deadline) {
      last = status(spec);
      if (last != null && condition.test(last)) {
        return last;
      }
      env.sleep(Duration.ofSeconds(1));
    }
    assertNotNull(last);
    throw new AssertionError("condition not reached; last status " + last);
  }

}
