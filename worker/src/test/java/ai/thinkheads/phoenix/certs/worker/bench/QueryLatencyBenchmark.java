package ai.thinkheads.phoenix.certs.worker.bench;

import ai.thinkheads.phoenix.certs.activities.plugin.PluginRegistry;
import ai.thinkheads.phoenix.certs.worker.inventory.InventoryStore;
import ai.thinkheads.phoenix.certs.worker.engine.Engine;
import ai.thinkheads.phoenix.certs.worker.temporal.TemporalConnection;
import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateStatus;
import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateStatus.Outcome;
import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateWorkflow;
import ai.thinkheads.phoenix.certs.workflows.status.PromptQuery;
import io.micronaut.context.ApplicationContext;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Supplier;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Figures, printed, not asserted: how long the {@code status} query takes around a continue-as-new. The dev stack
 * (embedded server, worker, local CA) renews one certificate on {@code renewNow} several times while a client asks
 * for its status back to back, plainly and through {@link PromptQuery}; each round prints how many queries it
 * made and the slowest one. Run:
 * {@code bin/bench QueryLatencyBenchmark}.
 */
@Tag("benchmark")
class QueryLatencyBenchmark {

  static final int ROUNDS = 6;
  static final Duration ROUND = Duration.ofSeconds(4);

  @TempDir
  Path dir;

  @Test
  void statusQueryLatencyAroundContinueAsNew() throws Exception {
    Path inventoryFile = dir.resolve("inventory.yaml");
    Files.writeString(inventoryFile, """
        ca: {type: local, dataDir: %1$s/ca}
        guests:
          - {name: here, kind: local}
        certificates:
          - name: quick
            guest: here
            sans: [quick.test]
            lifetime: 1h
            files: {cert: %1$s/quick.crt, key: %1$s/quick.key}
        """.formatted(dir));
    try (ApplicationContext context = ApplicationContext.run()) {
      PluginRegistry plugins = context.getBean(PluginRegistry.class);
      InventoryStore inventory = InventoryStore.open(inventoryFile, plugins);
      try (Engine engine = Engine.start(inventory, plugins, TemporalConnection.embedded(freePort()),
          Duration.ofMinutes(1))) {
        CertificateWorkflow workflow = engine.client().newWorkflowStub(CertificateWorkflow.class, "cert/quick");
        awaitIssued(workflow);
        System.out.printf("%n== status query around continue-as-new (renewNow, then queries back to back)%n");
        rounds("plain query", workflow, workflow::status);
        rounds("PromptQuery", workflow, () -> PromptQuery.answer(workflow::status));
      }
    }
  }

  private static void rounds(String label, CertificateWorkflow workflow, Supplier<CertificateStatus> query) {
    long worst = 0;
    int stalled = 0;
    for (int round = 1; round <= ROUNDS; round++) {
      workflow.renewNow();
      long max = 0;
      int count = 0;
      long end = System.nanoTime() + ROUND.toNanos();
      while (System.nanoTime() < end) {
        long started = System.nanoTime();
        try {
          query.get();
        } catch (RuntimeException e) {
          System.out.println("  query failed: " + e);
        }
        max = Math.max(max, (System.nanoTime() - started) / 1_000_000);
        count++;
      }
      worst = Math.max(worst, max);
      stalled += max > 2000 ? 1 : 0;
      System.out.printf("%s, round %d: %5d queries, slowest %5d ms%n", label, round, count, max);
    }
    System.out.printf("%s: slowest %d ms; %d of %d rounds had a query slower than 2 s%n", label, worst, stalled,
        ROUNDS);
  }

  private static void awaitIssued(CertificateWorkflow workflow) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      try {
        CertificateStatus status = workflow.status();
        if (status.lastOutcome() == Outcome.ISSUED && status.phase().startsWith("waiting")) {
          return;
        }
      } catch (RuntimeException notYet) {
        // the workflow is not started yet
      }
      Thread.sleep(100);
    }
    throw new AssertionError("quick was not issued in 60 s");
  }

  private static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
