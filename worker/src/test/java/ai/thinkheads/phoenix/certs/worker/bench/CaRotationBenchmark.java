package ai.thinkheads.phoenix.certs.worker.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.thinkheads.phoenix.certs.activities.plugin.PluginRegistry;
import ai.thinkheads.phoenix.certs.activities.testing.Polling;
import ai.thinkheads.phoenix.certs.activities.testing.guest.SimulatedGuests;
import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateStatus;
import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateWorkflow;
import ai.thinkheads.phoenix.certs.workflows.guest.GuestOnboardingWorkflow;
import ai.thinkheads.phoenix.certs.workflows.guest.OnboardingRequest;
import ai.thinkheads.phoenix.certs.workflows.rotation.RotationPhase;
import ai.thinkheads.phoenix.certs.workflows.rotation.RotationProgress;
import ai.thinkheads.phoenix.certs.workflows.rotation.RotationRequest;
import ai.thinkheads.phoenix.certs.workflows.rotation.RotationTarget;
import ai.thinkheads.phoenix.certs.workflows.rotation.RotationWorkflow;
import ai.thinkheads.phoenix.certs.worker.engine.Engine;
import ai.thinkheads.phoenix.certs.worker.inventory.InventoryStore;
import ai.thinkheads.phoenix.certs.worker.temporal.TemporalConnection;
import ai.thinkheads.phoenix.certs.worker.testing.FreePort;
import ai.thinkheads.phoenix.certs.worker.testing.SharedNginxEstate;
import io.micronaut.context.ApplicationContext;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Wall time of each phase of a root rotation between two local CAs, on sshd guests (the first of each estate runs
 * nginx, every certificate has its validate, reload and TLS verify), the whole worker in this JVM with its embedded
 * Temporal: first an estate the size of the demo's (one guest, three certificates), then 20 guests x 2
 * certificates. Baseline, measured in the same run on the same estate just before: one renewNow to every
 * certificate (the re-issue phase is that, plus the chain checks and the 5 s settle after each phase change).
 * Prints figures.
 */
@Tag("benchmark")
class CaRotationBenchmark {

  static final Duration LIMIT = Duration.ofMinutes(10);
  static final int CONCURRENCY = 8;

  @RegisterExtension
  static final SimulatedGuests GUESTS = SimulatedGuests.count(20);

  @TempDir
  Path dir;

  private final List<String> lines = new ArrayList<>();

  @Test
  void rotationOfTheDemoSizedEstateAndOfTwentyGuestsWithTwoCertificatesEach() throws Exception {
    rotate("1 guest x 3 (demo size)", new SharedNginxEstate.Layout(1, 3, 1, false));
    rotate("20 guests x 2", new SharedNginxEstate.Layout(20, 2, 1, false));
    System.out.printf("%n== CA rotation, local CA -> local CA, concurrency %d (%d cores)%n", CONCURRENCY,
        Runtime.getRuntime().availableProcessors());
    System.out.println("estate                    renewNow all   overlap   re-issue   retire   total   "
        + "re-issue / renewNow");
    lines.forEach(System.out::println);
  }

  private void rotate(String label, SharedNginxEstate.Layout layout) throws Exception {
    Path here = Files.createDirectories(dir.resolve("estate-" + layout.guests()));
    try (SharedNginxEstate estate = new SharedNginxEstate(GUESTS, layout, here);
        ApplicationContext context = ApplicationContext.run()) {
      PluginRegistry plugins = context.getBean(PluginRegistry.class);
      InventoryStore inventory = InventoryStore.open(estate.inventory(), plugins);
      try (Engine engine = Engine.start(inventory, plugins, TemporalConnection.embedded(FreePort.next()),
          Duration.ofHours(1))) {
        WorkflowClient client = engine.client();
        estate.awaitAll(client, s -> s.renewals() == 1 && idle(s), LIMIT);
        for (int g = 0; g < layout.guests(); g++) {
          onboard(client, String.valueOf(2000 + g));
        }

        // the baseline: every certificate renewed once, from the CA in use
        Map<String, Integer> before = renewals(client, estate);
        long start = System.nanoTime();
        estate.renewAll(client);
        estate.awaitAll(client, s -> idle(s) && s.renewals() > before.get(CertificateWorkflow.workflowIdFor(
            s.name())), LIMIT);
        double baseline = seconds(start);

        String yaml = Files.readString(estate.inventory());
        Files.writeString(estate.inventory(), yaml.replaceFirst("ca: \\{type: local, dataDir: ([^}]*)\\}",
            "ca: {type: local, dataDir: $1, next: {type: local, dataDir: " + here.resolve("ca2") + "}}"));
        assertEquals(InventoryStore.Outcome.CHANGED, inventory.reload());

        Map<RotationPhase, Double> at = follow(client);
        double overlap = at.get(RotationPhase.REISSUE);
        double reissue = at.get(RotationPhase.GRACE) - overlap;
        double retire = at.get(RotationPhase.DONE) - at.get(RotationPhase.GRACE);
        RotationProgress done = client.newWorkflowStub(RotationWorkflow.class, RotationWorkflow.WORKFLOW_ID)
            .progress();
        assertEquals(layout.guests(), done.guestsDone(), done.toString());
        assertEquals(layout.guests() * layout.perGuest(), done.certificatesDone(), done.toString());
        String line = String.format("%-24s %8.1f s  %7.1f s  %7.1f s  %6.1f s  %5.1f s   %.2fx", label, baseline,
            overlap, reissue, retire, at.get(RotationPhase.DONE), reissue / baseline);
        System.out.println("ca rotation: " + line); // as measured: a later failure keeps the figures so far
        lines.add(line);
      }
    } finally {
      for (int g = 0; g < layout.guests(); g++) {
        GUESTS.guest(g).resetTrust(); // the next estate's guests start new
      }
    }
  }

  /** Starts the rotation (retire as soon as re-issued) and returns when each phase began, in s from the start. */
  private static Map<RotationPhase, Double> follow(WorkflowClient client) throws Exception {
    RotationWorkflow rotation = client.newWorkflowStub(RotationWorkflow.class, WorkflowOptions.newBuilder()
        .setWorkflowId(RotationWorkflow.WORKFLOW_ID).setTaskQueue(CertificateWorkflow.TASK_QUEUE).build());
    long start = System.nanoTime();
    WorkflowClient.start(rotation::rotate, new RotationRequest(RotationTarget.NEXT, "benchmark", null, true,
        CONCURRENCY));
    RotationWorkflow running = client.newWorkflowStub(RotationWorkflow.class, RotationWorkflow.WORKFLOW_ID);
    Map<RotationPhase, Double> at = new EnumMap<>(RotationPhase.class);
    Polling.await(() -> {
      RotationPhase phase = running.progress().phase();
      at.putIfAbsent(phase, seconds(start));
      return phase;
    }, phase -> phase == RotationPhase.DONE || phase == RotationPhase.ABORTED, LIMIT, Duration.ofMillis(100));
    assertTrue(at.containsKey(RotationPhase.DONE), "the rotation ended " + at);
    // with retireNow the grace period is skipped: re-issue ends where retiring begins
    at.putIfAbsent(RotationPhase.GRACE, at.get(RotationPhase.RETIRE));
    return at;
  }

  private static void onboard(WorkflowClient client, String guest) {
    client.newWorkflowStub(GuestOnboardingWorkflow.class, WorkflowOptions.newBuilder()
        .setWorkflowId(GuestOnboardingWorkflow.workflowIdFor(guest))
        .setTaskQueue(CertificateWorkflow.TASK_QUEUE).build()).onboard(new OnboardingRequest("benchmark"));
  }

  private static Map<String, Integer> renewals(WorkflowClient client, SharedNginxEstate estate) {
    Map<String, Integer> counts = new HashMap<>();
    for (String id : estate.workflowIds()) {
      counts.put(id, client.newWorkflowStub(CertificateWorkflow.class, id).status().renewals());
    }
    return counts;
  }

  private static boolean idle(CertificateStatus status) {
    return status.phase() != null && status.phase().startsWith("waiting until");
  }

  private static double seconds(long start) {
    return (System.nanoTime() - start) / 1e9;
  }
}
