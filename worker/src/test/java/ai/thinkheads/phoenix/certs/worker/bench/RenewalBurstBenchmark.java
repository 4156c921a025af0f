package ai.thinkheads.phoenix.certs.worker.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.thinkheads.phoenix.certs.activities.plugin.PluginRegistry;
import ai.thinkheads.phoenix.certs.activities.testing.guest.SimulatedGuests;
import ai.thinkheads.phoenix.certs.worker.engine.Engine;
import ai.thinkheads.phoenix.certs.worker.inventory.InventoryStore;
import ai.thinkheads.phoenix.certs.worker.temporal.TemporalConnection;
import ai.thinkheads.phoenix.certs.worker.testing.SharedNginxEstate;
import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateStatus.Outcome;
import io.micronaut.context.ApplicationContext;
import io.temporal.client.WorkflowClient;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * 100 certificates spread over 10 sshd guests, one real nginx per guest serving its 10 by SNI, each with
 * `nginx -t`, reload nginx and a TLS verify of the served serial (SharedNginxEstate). All 100 are first issued over
 * placeholder pairs, then renewed at once (renewNow to all): wall time, and how many reloads nginx got. Runs the
 * whole worker (Micronaut wiring, embedded Temporal). Prints figures.
 */
@Tag("benchmark")
class RenewalBurstBenchmark {

  static final int GUEST_COUNT = 10;
  static final int PER_GUEST = 10;

  @RegisterExtension
  static final SimulatedGuests GUESTS = SimulatedGuests.count(GUEST_COUNT);

  @TempDir
  Path dir;

  @Test
  void renewalOfAHundredCertificatesOnTenGuests() throws Exception {
    Duration limit = Duration.ofMinutes(5);
    try (SharedNginxEstate estate = new SharedNginxEstate(GUESTS, GUEST_COUNT, PER_GUEST, dir);
        ApplicationContext context = ApplicationContext.run()) {
      PluginRegistry plugins = context.getBean(PluginRegistry.class);
      InventoryStore inventory = InventoryStore.open(estate.inventory(), plugins);
      try (Engine engine = Engine.start(inventory, plugins, TemporalConnection.embedded(freePort()),
          Duration.ofHours(1))) {
        WorkflowClient client = engine.client();
        long start = System.nanoTime();
        // Over a placeholder pair the first issuance counts as a renewal: something was live before.
        estate.awaitAll(client, s -> s.lastOutcome() == Outcome.RENEWED && s.renewals() == 1, limit);
        double issue = (System.nanoTime() - start) / 1e9;
        long reloadsAtIssue = estate.reloads();

        start = System.nanoTime();
        estate.renewAll(client);
        estate.awaitAll(client, s -> s.lastOutcome() == Outcome.RENEWED && s.renewals() == 2, limit);
        double renew = (System.nanoTime() - start) / 1e9;
        long reloads = estate.reloads() - reloadsAtIssue;
        int served = estate.servedAsReported(client);

        int all = GUEST_COUNT * PER_GUEST;
        System.out.printf("%n== renewal burst: %d certificates on %d sshd guests, one nginx each (embedded "
            + "Temporal, %d cores)%n", all, GUEST_COUNT, Runtime.getRuntime().availableProcessors());
        System.out.printf("first issuance of all (over placeholders): %.2f s, %d nginx reloads%n", issue,
            reloadsAtIssue);
        System.out.printf("renewNow to all:                           %.2f s, %d nginx reloads (one per guest "
            + "would be %d; one per certificate %d)%n", renew, reloads, GUEST_COUNT, all);
        System.out.printf("nginx serves the renewed serial:           %d of %d%n", served, all);
        assertEquals(all, served);
      }
    }
  }

  private static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
