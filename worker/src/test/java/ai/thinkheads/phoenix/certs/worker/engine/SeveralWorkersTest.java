package ai.thinkheads.phoenix.certs.worker.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.thinkheads.phoenix.certs.activities.testing.guest.SimulatedGuests;
import ai.thinkheads.phoenix.certs.worker.temporal.TemporalConnection;
import ai.thinkheads.phoenix.certs.worker.testing.FreePort;
import ai.thinkheads.phoenix.certs.worker.testing.SharedNginxEstate;
import ai.thinkheads.phoenix.certs.worker.testing.SharedNginxEstate.Layout;
import ai.thinkheads.phoenix.certs.worker.testing.WorkerProcesses;
import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateStatus;
import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateStatus.Outcome;
import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateWorkflow;
import ai.thinkheads.phoenix.certs.workflows.coordination.GuestPairsWorkflow;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several worker JVMs on one Temporal (the test server in this JVM, wall clock, sticky execution off as
 * WorkerProcesses sets it), one estate: 20 certificates on 4 sshd guests, 5 each, the first guest's served by a
 * real nginx. Every guest records its swaps, validates and reloads in order (SharedNginxEstate's transcripts),
 * with each half swap stretched to 300 ms: whichever worker runs which step, no validate or reload may overlap a
 * swap, and each reload batch the guest's coordinator runs must reload the guest once. Then workers are killed
 * (SIGKILL) at random points of more bursts: every pair must end matched, every certificate renewed or rolled back
 * with its reason, and no reload lost or run more than once more.
 */
class SeveralWorkersTest {

  static final Layout LAYOUT = new Layout(4, 5, 1, true);
  static final Duration LIMIT = Duration.ofMinutes(3);
  /** Bursts with two SIGKILLs each: 2 in the suite (about a minute each), more with -Dphoenix.killRounds=5. */
  static final int KILL_ROUNDS = Integer.getInteger("phoenix.killRounds", 2);

  @RegisterExtension
  static final SimulatedGuests GUESTS = SimulatedGuests.count(LAYOUT.guests());

  @TempDir
  Path dir;

  private TemporalConnection temporal;
  private WorkerProcesses workers;
  private SharedNginxEstate estate;
  private WorkflowClient client;
  private int port;

  @BeforeEach
  void start() throws Exception {
    port = FreePort.next();
    temporal = TemporalConnection.embedded(port);
    client = temporal.client();
    workers = new WorkerProcesses(dir);
    estate = new SharedNginxEstate(GUESTS, LAYOUT, dir);
  }

  @AfterEach
  void stop() throws Exception {
    workers.close();
    estate.close();
    temporal.close();
  }

  @Test
  void twoThenThreeWorkersRenewBurstsWithoutAValidateOrReloadDuringASwapAndSurviveKills() throws Exception {
    List<String> names = new ArrayList<>(List.of("worker-1", "worker-2"));
    Map<String, Process> running = new HashMap<>();
    for (String name : names) {
      running.put(name, workers.start(estate.inventory(), port, name));
    }
    // over the placeholder pairs the first issuance counts as a renewal
    estate.awaitAll(client, s -> s.renewals() == 1 && betweenAttempts(s), LIMIT);
    assertClean(0);

    Burst two = burst(2);
    names.add("worker-3");
    running.put("worker-3", workers.start(estate.inventory(), port, "worker-3"));
    Burst three = burst(3);
    for (Burst burst : List.of(two, three)) {
      System.out.printf("%d workers: burst of %d renewals in %.1f s; reloads per guest %s (batches %s); steps ran "
          + "on %d workers%n", burst.workers, estate.workflowIds().size(), burst.seconds, burst.reloads,
          burst.batches, burst.identities.size());
      assertEquals(burst.batches, burst.reloads, "one reload per batch, on every guest");
      assertTrue(burst.identities.size() >= 2, "the steps ran on several workers: " + burst.identities);
    }
    assertEquals(estate.nginxCertificates(), estate.servedAsReported(client), "nginx serves every new serial");

    // two SIGKILLs at random points of each of KILL_ROUNDS more bursts; each victim is replaced at once
    long seed = System.nanoTime();
    Random random = new Random(seed);
    System.out.println("kill rounds, seed " + seed);
    int[] from = transcriptEnds();
    for (int round = 1; round <= KILL_ROUNDS; round++) {
      Instant since = Instant.now();
      long[] batchesBefore = batches();
      estate.renewAll(client);
      List<String> kills = new ArrayList<>();
      long at = 0;
      for (int kill = 0; kill < 2; kill++) {
        long next = at + 200 + random.nextInt(3000);
        Thread.sleep(next - at);
        at = next;
        String victim = names.get(random.nextInt(names.size()));
        running.remove(victim).destroyForcibly().waitFor(); // SIGKILL: no drain, no shutdown hook
        String replacement = "worker-" + round + "." + kill;
        names.set(names.indexOf(victim), replacement);
        running.put(replacement, workers.start(estate.inventory(), port, replacement));
        kills.add(victim + " at " + at + " ms");
      }

      estate.awaitAll(client, s -> betweenAttempts(s) && s.lastAttempt() != null && !s.lastAttempt().isBefore(since),
          LIMIT);
      List<String> notRenewed = new ArrayList<>();
      for (String id : estate.workflowIds()) {
        CertificateStatus status = status(id);
        assertTrue(status.lastOutcome() == Outcome.RENEWED
            || status.lastOutcome() == Outcome.ROLLED_BACK && status.lastError() != null,
            "round " + round + ", " + id + " ended " + status.lastOutcome() + ": " + status.lastError());
        if (status.lastOutcome() != Outcome.RENEWED) {
          notRenewed.add(id + " " + status.lastOutcome() + " (" + status.lastError() + ")");
        }
      }
      assertEquals(List.of(), estate.mismatchedPairs(), "round " + round + ": pairs whose key and certificate "
          + "differ");
      long[] batchesAfter = batches();
      List<String> reloads = new ArrayList<>();
      for (int g = 0; g < LAYOUT.guests(); g++) {
        List<String> transcript = estate.transcript(g, from[g]);
        assertEquals(List.of(), SharedNginxEstate.violations(transcript), "round " + round + ", guest " + g);
        long ran = transcript.stream().filter(l -> l.equals("reload begin")).count();
        long batches = batchesAfter[g] - batchesBefore[g];
        assertTrue(ran >= batches && ran <= batches + 1, "round " + round + ", guest " + g + ": " + ran
            + " reloads for " + batches + " batches (one each, one more at most where a worker died in one)");
        reloads.add(ran + "/" + batches);
      }
      from = transcriptEnds();
      System.out.printf("round %d: killed %s; all accounted for after %.1f s; reloads/batches per guest %s%s%n",
          round, kills, Duration.between(since, Instant.now()).toMillis() / 1000.0, reloads,
          notRenewed.isEmpty() ? "" : "; not renewed: " + notRenewed);
    }
    assertEquals(estate.nginxCertificates(), estate.servedAsReported(client), "nginx serves what is reported");
  }

  /** One renewNow to every certificate with {@code count} workers running, and what the guests recorded. */
  private Burst burst(int count) throws Exception {
    int[] from = transcriptEnds();
    long[] batchesBefore = batches();
    int target = estate.workflowIds().isEmpty() ? 0 : status(estate.workflowIds().get(0)).renewals() + 1;
    long start = System.nanoTime();
    estate.renewAll(client);
    estate.awaitAll(client, s -> s.renewals() >= target && betweenAttempts(s), LIMIT);
    double seconds = (System.nanoTime() - start) / 1e9;
    assertClean(from);
    List<Long> reloads = new ArrayList<>();
    List<Long> batches = new ArrayList<>();
    long[] batchesAfter = batches();
    for (int g = 0; g < LAYOUT.guests(); g++) {
      reloads.add(estate.transcript(g, from[g]).stream().filter(l -> l.equals("reload begin")).count());
      batches.add(batchesAfter[g] - batchesBefore[g]);
    }
    for (String id : estate.workflowIds()) {
      assertEquals(Outcome.RENEWED, status(id).lastOutcome(), id + ": " + status(id).lastError());
    }
    assertEquals(List.of(), estate.mismatchedPairs());
    return new Burst(count, seconds, reloads, batches, identities());
  }

  private record Burst(int workers, double seconds, List<Long> reloads, List<Long> batches, Set<String> identities) {}

  private void assertClean(int from) throws Exception {
    int[] all = new int[LAYOUT.guests()];
    java.util.Arrays.fill(all, from);
    assertClean(all);
  }

  private void assertClean(int[] from) throws Exception {
    for (int g = 0; g < LAYOUT.guests(); g++) {
      List<String> transcript = estate.transcript(g, from[g]);
      assertTrue(transcript.stream().anyMatch(l -> l.startsWith("swap ")), "guest " + g + " recorded its swaps");
      assertEquals(List.of(), SharedNginxEstate.violations(transcript), "guest " + g + ": " + transcript);
    }
  }

  private int[] transcriptEnds() throws Exception {
    int[] ends = new int[LAYOUT.guests()];
    for (int g = 0; g < LAYOUT.guests(); g++) {
      ends[g] = estate.transcript(g, 0).size();
    }
    return ends;
  }

  /** The reload batches each guest's coordinator has run so far. */
  private long[] batches() {
    long[] batches = new long[LAYOUT.guests()];
    for (int g = 0; g < LAYOUT.guests(); g++) {
      batches[g] = client.newWorkflowStub(GuestPairsWorkflow.class, GuestPairsWorkflow.workflowIdFor(
          estate.guestIds().get(g))).state().reloadsRun();
    }
    return batches;
  }

  /** The workers (their identities) that ran the steps of the certificates' current runs. */
  private Set<String> identities() {
    Set<String> identities = new TreeSet<>();
    for (String id : estate.workflowIds()) {
      for (HistoryEvent event : client.fetchHistory(id).getEvents()) {
        if (event.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED) {
          identities.add(event.getActivityTaskStartedEventAttributes().getIdentity());
        }
      }
    }
    return identities;
  }

  private CertificateStatus status(String workflowId) {
    return client.newWorkflowStub(CertificateWorkflow.class, workflowId).status();
  }

  private static boolean betweenAttempts(CertificateStatus status) {
    return status.phase() != null
        && (status.phase().startsWith("waiting until") || status.phase().startsWith("backing off"));
  }
}
