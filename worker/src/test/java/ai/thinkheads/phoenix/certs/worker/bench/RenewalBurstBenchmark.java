package ai.thinkheads.phoenix.certs.worker.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.thinkheads.phoenix.certs.activities.plugin.PluginRegistry;
import ai.thinkheads.phoenix.certs.activities.testing.guest.SimulatedGuests;
import ai.thinkheads.phoenix.certs.worker.engine.Engine;
import ai.thinkheads.phoenix.certs.worker.inventory.InventoryStore;
import ai.thinkheads.phoenix.certs.worker.temporal.TemporalConnection;
import ai.thinkheads.phoenix.certs.worker.testing.FreePort;
import ai.thinkheads.phoenix.certs.worker.testing.SharedNginxEstate;
import ai.thinkheads.phoenix.certs.worker.testing.WorkerProcesses;
import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateStatus.Outcome;
import io.micronaut.context.ApplicationContext;
import io.temporal.client.WorkflowClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * 100 certificates spread over 10 sshd guests, one real nginx per guest serving its 10 by SNI, each with
 * `nginx -t`, reload nginx and a TLS verify of the served serial (SharedNginxEstate). All 100 are first issued over
 * placeholder pairs, then renewed at once (renewNow to all): wall time, and how many reloads each guest's nginx
 * got. First the whole worker in this JVM with its embedded Temporal (the baseline), then 1, 2 and 3 worker JVMs
 * (`run --inventory`) on one Temporal test server in this JVM, sticky execution off as that server needs. Prints
 * figures.
 */
@Tag("benchmark")
class RenewalBurstBenchmark {

  static final int GUEST_COUNT = 10;
  static final int PER_GUEST = 10;
  static final Duration LIMIT = Duration.ofMinutes(5);

  @RegisterExtension
  static final SimulatedGuests GUESTS = SimulatedGuests.count(GUEST_COUNT);

  @TempDir
  Path dir;

  private final List<String> lines = new ArrayList<>();

  @Test
  void renewalOfAHundredCertificatesOnTenGuestsWithOneTwoAndThreeWorkers() throws Exception {
    inProcess();
    // -Dburst.workers=1 measures the single-worker paths only (in this JVM, one worker JVM)
    for (int workers = 1; workers <= Integer.getInteger("burst.workers", 3); workers++) {
      workerJvms(workers);
    }
    System.out.printf("%n== renewal burst: %d certificates on %d sshd guests, one nginx each (%d cores)%n",
        GUEST_COUNT * PER_GUEST, GUEST_COUNT, Runtime.getRuntime().availableProcessors());
    System.out.println("workers                 first issuance (reloads)   renewNow to all (reloads per guest)");
    lines.forEach(System.out::println);
  }

  private void inProcess() throws Exception {
    Path here = Files.createDirectories(dir.resolve("in-process"));
    try (SharedNginxEstate estate = new SharedNginxEstate(GUESTS, GUEST_COUNT, PER_GUEST, here);
        ApplicationContext context = ApplicationContext.run()) {
      PluginRegistry plugins = context.getBean(PluginRegistry.class);
      InventoryStore inventory = InventoryStore.open(estate.inventory(), plugins);
      try (Engine engine = Engine.start(inventory, plugins, TemporalConnection.embedded(FreePort.next()),
          Duration.ofHours(1))) {
        measure("1, in this JVM        ", estate, engine.client());
      }
    }
  }

  private void workerJvms(int count) throws Exception {
    Path here = Files.createDirectories(dir.resolve(count + "-jvms"));
    int port = FreePort.next();
    try (SharedNginxEstate estate = new SharedNginxEstate(GUESTS, GUEST_COUNT, PER_GUEST, here);
        TemporalConnection temporal = TemporalConnection.embedded(port);
        WorkerProcesses workers = new WorkerProcesses(here)) {
      for (int w = 1; w <= count; w++) {
        workers.start(estate.inventory(), port, "worker-" + w);
      }
      measure(count + ", worker JVM" + (count == 1 ? " " : "s") + "        ", estate, temporal.client());
    }
  }

  private void measure(String label, SharedNginxEstate estate, WorkflowClient client) throws Exception {
    long start = System.nanoTime();
    // Over a placeholder pair the first issuance counts as a renewal: something was live before.
    estate.awaitAll(client, s -> s.lastOutcome() == Outcome.RENEWED && s.renewals() == 1, LIMIT);
    double issue = (System.nanoTime() - start) / 1e9;
    long reloadsAtIssue = estate.reloads();
    long[] before = perGuest(estate);

    start = System.nanoTime();
    estate.renewAll(client);
    estate.awaitAll(client, s -> s.lastOutcome() == Outcome.RENEWED && s.renewals() == 2, LIMIT);
    double renew = (System.nanoTime() - start) / 1e9;
    long[] after = perGuest(estate);
    List<Long> reloads = new ArrayList<>();
    for (int g = 0; g < GUEST_COUNT; g++) {
      reloads.add(after[g] - before[g]);
    }
    assertEquals(GUEST_COUNT * PER_GUEST, estate.servedAsReported(client), "nginx serves every renewed serial");
    String line = String.format("%s %6.1f s (%3d)           %6.1f s %s", label, issue, reloadsAtIssue, renew, reloads);
    System.out.println("renewal burst: " + line); // as measured, so a later failure keeps the figures so far
    lines.add(line);
  }

  private static long[] perGuest(SharedNginxEstate estate) throws Exception {
    long[] reloads = new long[GUEST_COUNT];
    for (int g = 0; g < GUEST_COUNT; g++) {
      reloads[g] = estate.reloads(g);
    }
    return reloads;
  }
}
