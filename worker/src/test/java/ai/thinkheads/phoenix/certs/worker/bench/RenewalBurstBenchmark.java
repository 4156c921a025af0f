package ai.thinkheads.phoenix.certs.worker.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.thinkheads.phoenix.certs.worker.engine.Engine;
import ai.thinkheads.phoenix.certs.worker.inventory.Inventory;
import ai.thinkheads.phoenix.certs.worker.plugins.Plugins;
import ai.thinkheads.phoenix.certs.worker.temporal.TemporalConnection;
import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateStatus;
import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateStatus.Outcome;
import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateWorkflow;
import ai.thinkheads.phoenix.certs.workflows.model.CertificateSpec;
import io.micronaut.context.ApplicationContext;
import io.temporal.client.WorkflowClient;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Predicate;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 100 certificates on 10 guests renewed at once (renewNow to all): wall time, and how many reloads ran. The
 * guests are local targets here (10 of them, each with its own folder and reload command), so the figure is
 * the engine's and the coalescing's, not ssh's. Prints figures.
 */
@Tag("benchmark")
class RenewalBurstBenchmark {

  static final int GUESTS = 10;
  static final int PER_GUEST = 10;

  @TempDir
  Path dir;

  @Test
  void renewalOfAHundredCertificatesOnTenGuests() throws Exception {
    Path file = dir.resolve("inventory.yaml");
    StringBuilder yaml = new StringBuilder("ca: {type: local, dataDir: " + dir + "/ca}\nguests:\n");
    for (int g = 0; g < GUESTS; g++) {
      yaml.append("  - {name: guest-").append(g).append(", kind: local}\n");
    }
    yaml.append("certificates:\n");
    for (int g = 0; g < GUESTS; g++) {
      for (int c = 0; c < PER_GUEST; c++) {
        String name = "g" + g + "-c" + c;
        yaml.append("  - name: ").append(name).append("\n    guest: guest-").append(g)
            .append("\n    sans: [").append(name).append(".test]\n    lifetime: 1h\n")
            .append("    files: {cert: ").append(dir).append("/g").append(g).append('/').append(name)
            .append(".crt, key: ").append(dir).append("/g").append(g).append('/').append(name).append(".key}\n")
            .append("    reload: {type: command, argv: [sh, -c, \"echo reload >> ").append(dir).append("/g")
            .append(g).append("/reloads.log\"]}\n");
      }
    }
    Files.writeString(file, yaml);
    try (ApplicationContext context = ApplicationContext.run()) {
      Plugins plugins = context.getBean(Plugins.class);
      Inventory inventory = plugins.inventoryLoader().load(file);
      try (Engine engine = Engine.start(inventory, plugins, TemporalConnection.embedded(freePort()),
          Duration.ofHours(1))) {
        WorkflowClient client = engine.client();
        long start = System.nanoTime();
        awaitAll(client, inventory, s -> s.lastOutcome() == Outcome.ISSUED);
        double issue = (System.nanoTime() - start) / 1e9;
        long reloadsAtIssue = countReloads();
        for (int g = 0; g < GUESTS; g++) {
          Files.deleteIfExists(dir.resolve("g" + g).resolve("reloads.log"));
        }
        start = System.nanoTime();
        for (CertificateSpec spec : inventory.certificates()) {
          client.newWorkflowStub(CertificateWorkflow.class, spec.workflowId()).renewNow();
        }
        awaitAll(client, inventory, s -> s.lastOutcome() == Outcome.RENEWED);
        double renew = (System.nanoTime() - start) / 1e9;
        long reloads = countReloads();
        System.out.printf("%n== renewal burst: %d certificates on %d guests (local targets, embedded Temporal)%n",
            GUESTS * PER_GUEST, GUESTS);
        System.out.printf("first issuance of all: %.2f s, %d reloads%n", issue, reloadsAtIssue);
        System.out.printf("renewNow to all:        %.2f s, %d reloads (one per guest would be %d; one per "
            + "certificate %d)%n", renew, reloads, GUESTS, GUESTS * PER_GUEST);
        assertEquals(GUESTS * PER_GUEST, inventory.certificates().size());
      }
    }
  }

  private long countReloads() throws Exception {
    long total = 0;
    for (int g = 0; g < GUESTS; g++) {
      Path log = dir.resolve("g" + g).resolve("reloads.log");
      total += Files.exists(log) ? Files.readAllLines(log).size() : 0;
    }
    return total;
  }

  private static void awaitAll(WorkflowClient client, Inventory inventory, Predicate<CertificateStatus> done)
      throws InterruptedException {
    long deadline = System.currentTimeMillis() + 180_000;
    for (CertificateSpec spec : inventory.certificates()) {
      while (true) {
        try {
          CertificateStatus status = client.newWorkflowStub(CertificateWorkflow.class, spec.workflowId()).status();
          if (status != null && done.test(status)) {
            break;
          }
        } catch (RuntimeException notYet) {
          // not started yet, or between two runs
        }
        if (System.currentTimeMillis() > deadline) {
          throw new AssertionError(spec.name() + " did not get there in 180 s");
        }
        Thread.sleep(100);
      }
    }
  }

  private static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
