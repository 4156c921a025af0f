package ai.thinkheads.phoenix.certs.activities.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.thinkheads.phoenix.certs.activities.crypto.Pem;
import ai.thinkheads.phoenix.certs.activities.estate.Authority;
import ai.thinkheads.phoenix.certs.activities.estate.Guest;
import ai.thinkheads.phoenix.certs.activities.issuer.LocalCaIssuer;
import ai.thinkheads.phoenix.certs.activities.plugin.PluginRegistry;
import ai.thinkheads.phoenix.certs.activities.testing.TestEstate;
import ai.thinkheads.phoenix.certs.activities.testing.guest.SimulatedGuest;
import ai.thinkheads.phoenix.certs.activities.testing.guest.SimulatedGuests;
import ai.thinkheads.phoenix.certs.activities.transport.ssh.SshConnectionPool;
import ai.thinkheads.phoenix.certs.activities.transport.ssh.SshTransportFactory;
import ai.thinkheads.phoenix.certs.activities.trust.TrustActivitiesImpl;
import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateWorkflow;
import ai.thinkheads.phoenix.certs.workflows.guest.OnboardingRequest;
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
 * Root CA distribution to 1, 10 and 30 simulated guests through GuestOnboardingWorkflow, against a sequential
 * shell loop doing the same with OpenSSH to the same guests, in the same run: once for the system store (the
 * loop is scp + ssh update-ca-certificates) and once for Traefik's file (the loop is scp). Each round uses a
 * fresh root, so every guest really installs it (and rebuilds its store). Prints figures.
 */
@Tag("benchmark")
class RootDistributionBenchmark {

  static final int[] COUNTS = {1, 10, 30};
  static final int MAX = COUNTS[COUNTS.length - 1];

  @RegisterExtension
  static final SimulatedGuests GUESTS = SimulatedGuests.count(MAX);

  @TempDir
  Path dir;

  @Test
  void distributionFigures() throws Exception {
    try (SshConnectionPool pool = new SshConnectionPool()) {
      StringBuilder report = new StringBuilder(String.format("%n== root CA distribution (%d cores)%n",
          Runtime.getRuntime().availableProcessors()));
      // Warm-up, not counted: the first round also pays for class loading, JIT and the first connections.
      rounds(pool, 2, "traefik", new StringBuilder());
      rounds(pool, 2, "system", new StringBuilder());
      for (String trust : List.of("system", "traefik")) {
        double[] seconds = new double[COUNTS.length];
        for (int i = 0; i < COUNTS.length; i++) {
          seconds[i] = rounds(pool, COUNTS[i], trust, report);
        }
        long busyBefore = busyJiffies();
        double loop = shellLoop(MAX, trust);
        double loopCpu = (busyJiffies() - busyBefore) / 100.0;
        double one = seconds[0];
        double all = seconds[COUNTS.length - 1];
        report.append(String.format("%-7s shell loop (%s), %d guests, one after the other: %.2f s (machine CPU "
            + "%.2f s per guest)%n", trust, "system".equals(trust) ? "scp + ssh update-ca-certificates" : "scp", MAX,
            loop, loopCpu / MAX));
        report.append(String.format("%-7s %d guests / 1 guest: %.1fx (target <= 3x); shell loop / workflow at %d: "
            + "%.1fx (target >= 8x)%n", trust, MAX, all / one, MAX, loop / all));
      }
      System.out.println(report);
    }
  }

  private double rounds(SshConnectionPool pool, int count, String trust, StringBuilder report) throws Exception {
    LocalCaIssuer issuer = new LocalCaIssuer(Files.createTempDirectory(dir, "ca-" + trust + "-" + count),
        "Round " + trust + count);
    PluginRegistry catalog = PluginRegistry.of(new SshTransportFactory(pool));
    TestEstate estate = new TestEstate(issuer);
    try (TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance(
        TestEnvironmentOptions.newBuilder().setUseTimeskipping(false).build())) {
      Worker worker = env.newWorker(CertificateWorkflow.TASK_QUEUE);
      worker.registerWorkflowImplementationTypes(GuestOnboardingWorkflowImpl.class);
      worker.registerActivitiesImplementations(new TrustActivitiesImpl(new Authority(() -> estate), catalog));
      env.start();
      WorkflowClient client = env.getWorkflowClient();
      long busyBefore = busyJiffies();
      long start = System.nanoTime();
      List<CompletableFuture<GuestOnboardingStatus>> runs = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        SimulatedGuest guest = GUESTS.guest(i);
        int vmid = 1000 + i;
        estate.put(new Guest("lxc/" + vmid, vmid, null, "lxc", new TargetSpec("ssh", "lxc/" + vmid,
            guest.sshOptions(GUESTS.keys().ed25519())), List.of(trust)));
        GuestOnboardingWorkflow workflow = client.newWorkflowStub(GuestOnboardingWorkflow.class,
            WorkflowOptions.newBuilder().setWorkflowId(GuestOnboardingWorkflow.workflowIdFor("lxc/" + vmid))
                .setTaskQueue(CertificateWorkflow.TASK_QUEUE).build());
        runs.add(WorkflowClient.execute(workflow::onboard, new OnboardingRequest("benchmark")));
      }
      for (CompletableFuture<GuestOnboardingStatus> run : runs) {
        assertEquals(1, run.get().installed().size());
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      double cpu = (busyJiffies() - busyBefore) / 100.0;
      report.append(String.format("%-7s GuestOnboardingWorkflow, %2d guest(s) at once: %.2f s (machine CPU %.1f s, "
          + "%.2f s per guest, cores %.0f%% busy)%n", trust, count, seconds, cpu, cpu / count,
          100 * cpu / (seconds * Runtime.getRuntime().availableProcessors())));
      return seconds;
    }
  }

  /** What an operator's script does today: one guest after the other, a fresh ssh connection per command. */
  private double shellLoop(int count, String trust) throws Exception {
    LocalCaIssuer issuer = new LocalCaIssuer(dir.resolve("ca-loop-" + trust), "Loop " + trust);
    Path root = dir.resolve("loop_ca.crt");
    Files.writeString(root, Pem.encode(issuer.root()));
    String destination = "system".equals(trust) ? "/usr/local/share/ca-certificates/phoenix_ca.crt"
        : "/etc/traefik/ssl/phoenix_ca.crt";
    long start = System.nanoTime();
    for (int i = 0; i < count; i++) {
      SimulatedGuest guest = GUESTS.guest(i);
      List<String> ssh = List.of("-i", GUESTS.keys().ed25519().toString(), "-o", "BatchMode=yes", "-o",
          "UserKnownHostsFile=" + guest.knownHosts(), "-o", "StrictHostKeyChecking=yes");
      List<String> scp = new ArrayList<>(List.of("scp", "-q", "-P", String.valueOf(guest.port())));
      scp.addAll(ssh);
      scp.addAll(List.of(root.toString(), "root@127.0.0.1:" + destination));
      run(scp);
      if ("system".equals(trust)) {
        List<String> update = new ArrayList<>(List.of("ssh", "-p", String.valueOf(guest.port())));
        update.addAll(ssh);
        update.addAll(List.of("root@127.0.0.1", "update-ca-certificates"));
        run(update);
      }
    }
    return (System.nanoTime() - start) / 1e9;
  }

  /**
   * CPU time the whole machine spent busy (guests' sshd and update-ca-certificates included), in USER_HZ ticks
   * (100 per second on Linux), from the first line of /proc/stat: every field but idle and iowait.
   */
  private static long busyJiffies() throws Exception {
    String[] fields = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
    long busy = 0;
    for (int i = 1; i < Math.min(fields.length, 9); i++) {
      busy += i == 4 || i == 5 ? 0 : Long.parseLong(fields[i]);
    }
    return busy;
  }

  private static void run(List<String> command) throws Exception {
    Process process = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    if (process.waitFor() != 0) {
      throw new AssertionError(String.join(" ", command) + " exited " + process.exitValue());
    }
  }
}
