package ai.thinkheads.phoenix.certs.worker.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.thinkheads.phoenix.certs.activities.plugin.PluginRegistry;
import ai.thinkheads.phoenix.certs.activities.testing.guest.SimulatedGuests;
import ai.thinkheads.phoenix.certs.worker.inventory.InventoryStore;
import ai.thinkheads.phoenix.certs.worker.temporal.TemporalConnection;
import ai.thinkheads.phoenix.certs.worker.testing.SharedNginxEstate;
import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateStatus;
import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateStatus.Outcome;
import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateWorkflow;
import io.micronaut.context.ApplicationContext;
import io.temporal.client.WorkflowClient;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several certificates served by one real nginx in an sshd guest, renewed at the same moment, through the whole
 * worker: every renewal succeeds, nginx serves every new serial, and the reloads they share are coalesced. (That
 * no `nginx -t` or reload reads a half-swapped pair is shown by SeveralWorkersTest's transcripts.)
 */
class SharedNginxRenewalTest {

  static final int CERTIFICATES = 6;

  @RegisterExtension
  static final SimulatedGuests GUESTS = SimulatedGuests.count(1);

  @TempDir
  Path dir;

  @Test
  void certificatesSharingOneNginxRenewTogetherWithoutBreakingEachOther() throws Exception {
    Duration limit = Duration.ofMinutes(2);
    try (SharedNginxEstate estate = new SharedNginxEstate(GUESTS, 1, CERTIFICATES, dir);
        ApplicationContext context = ApplicationContext.run()) {
      PluginRegistry plugins = context.getBean(PluginRegistry.class);
      InventoryStore inventory = InventoryStore.open(estate.inventory(), plugins);
      try (Engine engine = Engine.start(inventory, plugins, TemporalConnection.embedded(DevStackTest.freePort()),
          Duration.ofHours(1))) {
        WorkflowClient client = engine.client();
        // Over nginx's placeholder pairs the first issuance is a renewal too.
        estate.awaitAll(client, s -> s.renewals() == 1, limit);
        long before = estate.reloads();
        estate.renewAll(client);
        estate.awaitAll(client, s -> s.renewals() == 2, limit);

        for (String id : estate.workflowIds()) {
          CertificateStatus status = client.newWorkflowStub(CertificateWorkflow.class, id).status();
          assertEquals(Outcome.RENEWED, status.lastOutcome(), id + ": " + status.lastError());
        }
        assertEquals(CERTIFICATES, estate.servedAsReported(client), "nginx serves every renewed serial");
        long reloads = estate.reloads() - before;
        assertTrue(reloads >= 1 && reloads < CERTIFICATES, reloads + " reloads for " + CERTIFICATES
            + " certificates renewed together");
      }
    }
  }
}
