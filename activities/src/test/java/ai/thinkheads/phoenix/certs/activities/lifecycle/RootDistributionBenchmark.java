package ai.thinkheads.phoenix.certs.activities.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.thinkheads.phoenix.certs.activities.crypto.Pem;
import ai.thinkheads.phoenix.certs.activities.issuer.LocalCaIssuer;
import ai.thinkheads.phoenix.certs.activities.steps.StepCatalog;
import ai.thinkheads.phoenix.certs.activities.testing.guest.SimulatedGuest;
import ai.thinkheads.phoenix.certs.activities.testing.guest.SimulatedGuests;
import ai.thinkheads.phoenix.certs.activities.transport.ssh.SshConnectionPool;
import ai.thinkheads.phoenix.certs.activities.transport.ssh.SshTransportFactory;
import ai.thinkheads.phoenix.certs.activities.trust.TrustActivitiesImpl;
import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateWorkflow;
import ai.thinkheads.phoenix.certs.workflows.guest.GuestOnboardingInput;
import ai.thinkheads.phoenix.certs.workflows.guest.GuestOnboardingStatus;
import ai.thinkheads.phoenix.certs.workflows.guest.GuestOnboardingWorkflow;
import ai.thinkheads.phoenix.certs.workflows.guest.GuestOnboardingWorkflowImpl;
import ai.thinkheads.phoenix.certs.workflows.guest.TrustTarget;
import ai.thinkheads.phoenix.certs.workflows.model.TargetSpec;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Root CA distribution to 1, 6 and 12 simulated guests through GuestOnboardingWorkflow, against a sequential
 * shell loop of OpenSSH scp + ssh update-ca-certificates to the same guests, in the same run. Each round uses a
 * fresh root, so every guest really installs and rebuilds its store. Prints figures.
 */
@Tag("benchmark")
class RootDistributionBenchmark {

  /** 30 was the ask; on 2 cores the fixture cannot bring 30 new guests up inside its 30 s readiness window. */
  static final int MAX = 12;

  @RegisterExtension
  static final SimulatedGuests GUESTS = SimulatedGuests.count(MAX);

  @TempDir
  Path dir;

  @Test
  void distributionFigures() throws Exception {
    try (SshConnectionPool pool = new SshConnectionPool()) {
      StringBuilder report = new StringBuilder("\n== root CA distribution (2 cores)\n");
      double one = rounds(pool, 1, report);
      rounds(pool, 6, report);
      double many = rounds(pool, MAX, report);
      double loop = shellLoop(MAX);
      report.append(String.format("shell loop (scp + ssh update-ca-certificates), %d guests, sequential: %.2f s%n",
          MAX, loop));
      report.append(String.format("%d guests / 1 guest: %.1fx (target for 30: <= 3x); shell loop / workflow at %d: "
          + "%.1fx (target >= 8x)%n", MAX, many / one, MAX, loop / many));
      System.out.println(report);
    }
  }

  private double rounds(SshConnectionPool pool, int count, StringBuilder report) throws Exception {
    LocalCaIssuer issuer = new LocalCaIssuer(dir.resolve("ca-" + count), "Round " + count);
    StepCatalog catalog = new StepCatalog(List.of(issuer), List.of(new SshTransportFactory(pool)), List.of(),
        List.of(), List.of());
    try (TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance(
        TestEnvironmentOptions.newBuilder().setUseTimeskipping(false).build())) {
      Worker worker = env.newWorker(CertificateWorkflow.TASK_QUEUE);
      worker.registerWorkflowImplementationTypes(GuestOnboardingWorkflowImpl.class);
      worker.registerActivitiesImplementations(new TrustActivitiesImpl(catalog, LocalCaIssuer.TYPE));
      env.start();
      WorkflowClient client = env.getWorkflowClient();
      long start = System.nanoTime();
      List<CompletableFuture<GuestOnboardingStatus>> runs = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        SimulatedGuest guest = GUESTS.guest(i);
        GuestOnboardingInput input = new GuestOnboardingInput(new TargetSpec("ssh", "lxc/" + (1000 + i),
            guest.sshOptions(GUESTS.keys().ed25519())), List.of(TrustTarget.of("system")), null,
            Duration.ofMinutes(2), "benchmark");
        GuestOnboardingWorkflow workflow = client.newWorkflowStub(GuestOnboardingWorkflow.class,
            WorkflowOptions.newBuilder().setWorkflowId(input.workflowId() + "-" + count)
                .setTaskQueue(CertificateWorkflow.TASK_QUEUE).build());
        runs.add(WorkflowClient.execute(workflow::onboard, input));
      }
      for (CompletableFuture<GuestOnboardingStatus> run : runs) {
        assertEquals(1, run.get().installed().size());
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      report.append(String.format("GuestOnboardingWorkflow, %2d guest(s) at once: %.2f s%n", count, seconds));
      return seconds;
    }
  }

  /** What an operator's script does today: one guest after the other, a fresh ssh connection per command. */
  private double shellLoop(int count) throws Exception {
    LocalCaIssuer issuer = new LocalCaIssuer(dir.resolve("ca-loop"), "Loop");
    Path root = dir.resolve("loop_ca.crt");
    Files.writeString(root, Pem.encode(issuer.root()));
    long start = System.nanoTime();
    for (int i = 0; i < count; i++) {
      SimulatedGuest guest = GUESTS.guest(i);
      List<String> ssh = List.of("-i", GUESTS.keys().ed25519().toString(), "-o", "BatchMode=yes", "-o",
          "UserKnownHostsFile=" + guest.knownHosts(), "-o", "StrictHostKeyChecking=yes");
      List<String> scp = new ArrayList<>(List.of("scp", "-q", "-P", String.valueOf(guest.port())));
      scp.addAll(ssh);
      scp.addAll(List.of(root.toString(), "root@127.0.0.1:/usr/local/share/ca-certificates/phoenix_ca.crt"));
      run(scp);
      List<String> update = new ArrayList<>(List.of("ssh", "-p", String.valueOf(guest.port())));
      update.addAll(ssh);
      update.addAll(List.of("root@127.0.0.1", "update-ca-certificates"));
      run(update);
    }
    return (System.nanoTime() - start) / 1e9;
  }

  private static void run(List<String> command) throws Exception {
    Process process = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    if (process.waitFor() != 0) {
      throw new AssertionError(String.join(" ", command) + " exited " + process.exitValue());
    }
  }
}
