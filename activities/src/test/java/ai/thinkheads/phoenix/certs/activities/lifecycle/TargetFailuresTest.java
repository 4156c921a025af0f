package ai.thinkheads.phoenix.certs.activities.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.thinkheads.phoenix.certs.activities.issuer.LocalCaIssuer;
import ai.thinkheads.phoenix.certs.activities.steps.ReadbackVerifier;
import ai.thinkheads.phoenix.certs.activities.plugin.PluginRegistry;
import ai.thinkheads.phoenix.certs.activities.testing.RunWatch;
import ai.thinkheads.phoenix.certs.activities.testing.SpecSteps;
import ai.thinkheads.phoenix.certs.activities.testing.TemporalClock;
import ai.thinkheads.phoenix.certs.activities.testing.TestEstate;
import ai.thinkheads.phoenix.certs.activities.testing.guest.SimulatedGuest;
import ai.thinkheads.phoenix.certs.activities.testing.guest.SimulatedGuests;
import ai.thinkheads.phoenix.certs.activities.transport.ExecResult;
import ai.thinkheads.phoenix.certs.activities.transport.ssh.SshConnectionPool;
import ai.thinkheads.phoenix.certs.activities.transport.ssh.SshTransportFactory;
import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateRun;
import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateStatus;
import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateStatus.Outcome;
import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateWorkflow;
import ai.thinkheads.phoenix.certs.activities.testing.CertificateWorkers;
import ai.thinkheads.phoenix.certs.workflows.model.CertificateFiles;
import ai.thinkheads.phoenix.certs.workflows.model.CertificateSpec;
import ai.thinkheads.phoenix.certs.workflows.model.KeyAlgorithm;
import ai.thinkheads.phoenix.certs.workflows.model.StepSpec;
import ai.thinkheads.phoenix.certs.workflows.model.TargetSpec;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Failures on a real sshd guest that no retry within seconds can fix: its host key changes between two cycles,
 * and the target directory (a small tmpfs inside the guest) fills up during staging. The workflow keeps running,
 * its status says what is wrong and when it tries again, nothing of the attempt is left on the target, and once
 * the cause is gone the next attempt succeeds at the time the status showed (Temporal's time-skipping test
 * server: the backoff passes in seconds).
 */
class TargetFailuresTest {

  @RegisterExtension
  static final SimulatedGuests GUESTS = SimulatedGuests.count(1);

  static final String DIR = "/etc/nginx/ssl/small";

  @TempDir
  Path dir;

  TestWorkflowEnvironment env;
  SshConnectionPool pool;
  SpecSteps steps;
  SimulatedGuest guest;
  Path knownHosts;

  @BeforeEach
  void setUp() throws Exception {
    guest = GUESTS.guest(0);
    knownHosts = dir.resolve("known_hosts");
    Files.copy(guest.knownHosts(), knownHosts); // what the inventory pins: the key as it is today
    pool = new SshConnectionPool();
    env = TestWorkflowEnvironment.newInstance();
    TemporalClock clock = new TemporalClock(env::currentTimeMillis);
    steps = new SpecSteps(new TestEstate(new LocalCaIssuer(dir.resolve("ca"), "Test", clock)),
        PluginRegistry.of(new SshTransportFactory(pool), new ReadbackVerifier()), clock);
    Worker worker = env.newWorker(CertificateWorkflow.TASK_QUEUE);
    CertificateWorkers.register(worker, env.getWorkflowClient(), steps.authority(), steps.activities());
    env.start();
    guestRun("umount " + DIR + " 2>/dev/null; mkdir -p " + DIR + " && mount -t tmpfs -o size=64k tmpfs " + DIR);
  }

  @AfterEach
  void tearDown() {
    guestRun("umount " + DIR + " 2>/dev/null; true");
    env.close();
    pool.close();
  }

  @Test
  void aChangedHostKeyIsReportedAndTheCycleGoesOnOnceTheKeyIsPinnedAgain() throws Exception {
    CertificateSpec spec = spec("keyed");
    RunWatch watch = start(spec);
    CertificateStatus issued = watch.awaitWaiting(null, s -> s.lastOutcome() == Outcome.ISSUED, PATIENCE);

    // the guest is rebuilt with a new host key; the inventory still pins the old one
    Files.delete(guest.dir().resolve("ssh_host_ed25519_key"));
    Files.delete(guest.dir().resolve("ssh_host_ed25519_key.pub"));
    guest.restart();
    pool.close();
    String run = watch.runId();
    workflow(spec).renewNow();
    CertificateStatus refused = watch.awaitWaiting(run, s -> s.lastOutcome() == Outcome.FAILED, PATIENCE);
    assertEquals("HostKeyRejected", refused.failure());
    assertTrue(refused.lastError().contains("changed"), refused.lastError());
    assertTrue(refused.phase().contains("needs a change"), refused.phase());
    assertEquals(issued.serial(), refused.serial(), "the status names the pair still live");
    assertEquals(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING,
        env.getWorkflowClient().newUntypedWorkflowStub(spec.workflowId()).describe().getStatus(),
        "the workflow keeps running");

    // the operator pins the new key; the next attempt comes at the time the status showed
    Files.copy(guest.knownHosts(), knownHosts, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    run = watch.runId();
    sleepUntil(refused.nextRenewal());
    // issued afresh: the rebuilt guest lost its tmpfs, and with it the pair
    CertificateStatus renewed = watch.awaitWaiting(run, s -> s.consecutiveFailures() == 0
        && s.renewals() == issued.renewals() + 1, PATIENCE);
    assertFalse(renewed.lastAttempt().isBefore(refused.nextRenewal()), "not before the time the status showed");
    assertEquals(renewed.serial(), steps.inspect(spec).serial());
  }

  @Test
  void aFullTargetLeavesNothingBehindAndTheNextAttemptSucceedsOnceThereIsRoom() throws Exception {
    CertificateSpec spec = spec("full");
    RunWatch watch = start(spec);
    CertificateStatus issued = watch.awaitWaiting(null, s -> s.lastOutcome() == Outcome.ISSUED, PATIENCE);
    String livePair = guestRun("cat " + DIR + "/full.key " + DIR + "/full.crt").stdout();

    // fill the tmpfs to two free pages: the key fits, the certificate does not
    guestRun("dd if=/dev/zero of=" + DIR + "/filler bs=4k count=100 2>/dev/null; rm -f " + DIR + "/filler; "
        + "free=$(df -Pk " + DIR + " | awk 'NR==2 {print $4}'); dd if=/dev/zero of=" + DIR + "/filler bs=1k "
        + "count=$((free - 8)) 2>/dev/null; true");
    String run = watch.runId();
    workflow(spec).renewNow();
    CertificateStatus full = watch.awaitWaiting(run, s -> s.lastOutcome() == Outcome.FAILED, PATIENCE);
    assertEquals("NoSpace", full.failure());
    assertTrue(full.lastError().contains("no room for " + DIR + "/full.crt.staged"), "names the file that did not fit: "
        + full.lastError());
    assertEquals(livePair, guestRun("cat " + DIR + "/full.key " + DIR + "/full.crt").stdout(), "live pair intact");
    String listing = guestRun("ls -a " + DIR).stdout(); // the tmpfs is mounted inside the guest only
    assertFalse(listing.contains(".staged") || listing.contains(".tmp-"), "left on the target: " + listing);
    assertEquals(issued.serial(), full.serial());

    guestRun("rm -f " + DIR + "/filler");
    run = watch.runId();
    sleepUntil(full.nextRenewal());
    CertificateStatus renewed = watch.awaitWaiting(run, s -> s.lastOutcome() == Outcome.RENEWED, PATIENCE);
    assertFalse(renewed.lastAttempt().isBefore(full.nextRenewal()), "not before the time the status showed");
    assertTrue(steps.inspect(spec).usable());
  }

  static final Duration PATIENCE = Duration.ofSeconds(60);

  private CertificateSpec spec(String name) {
    Map<String, String> options = new HashMap<>(guest.sshOptions(GUESTS.keys().ed25519()));
    options.put("knownHosts", knownHosts.toString());
    return new CertificateSpec(name, new TargetSpec("ssh", "lxc/4100", options), "local", name + ".test",
        List.of(name + ".test"), KeyAlgorithm.ECDSA_P256, null, Duration.ofHours(1), 0, null,
        new CertificateFiles(DIR + "/" + name + ".crt", DIR + "/" + name + ".key", null, null, null, null),
        StepSpec.none(), StepSpec.none(), new StepSpec("readback", List.of(), Map.of()), List.of());
  }

  private RunWatch start(CertificateSpec spec) {
    steps.estate().put(spec);
    WorkflowClient.start(env.getWorkflowClient().newWorkflowStub(CertificateWorkflow.class,
        WorkflowOptions.newBuilder().setWorkflowId(spec.workflowId()).setTaskQueue(CertificateWorkflow.TASK_QUEUE)
            .build())::run, CertificateRun.first(spec.name()));
    return new RunWatch(env.getWorkflowClient(), spec.workflowId());
  }

  private CertificateWorkflow workflow(CertificateSpec spec) {
    return env.getWorkflowClient().newWorkflowStub(CertificateWorkflow.class, spec.workflowId());
  }

  /** Lets Temporal's time pass to {@code instant} (and a second more); nothing when it has passed already. */
  private void sleepUntil(Instant instant) {
    Duration left = Duration.between(Instant.ofEpochMilli(env.currentTimeMillis()), instant).plusSeconds(1);
    if (!left.isNegative()) {
      env.sleep(left);
    }
  }

  /** A shell command inside the guest (its mount namespace), over ssh pinned to the guest's current key. */
  private ExecResult guestRun(String script) {
    try (SshConnectionPool own = new SshConnectionPool()) {
      return new SshTransportFactory(own).open(new TargetSpec("ssh", "lxc/setup",
          guest.sshOptions(GUESTS.keys().ed25519()))).exec(List.of("sh", "-c", script), Duration.ofSeconds(20));
    }
  }
}
