package ai.thinkheads.phoenix.certs.worker.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.thinkheads.phoenix.certs.activities.crypto.CertificateFacts;
import ai.thinkheads.phoenix.certs.activities.crypto.KeyPairs;
import ai.thinkheads.phoenix.certs.activities.crypto.Pem;
import ai.thinkheads.phoenix.certs.worker.testing.FreePort;
import ai.thinkheads.phoenix.certs.activities.testing.Polling;
import ai.thinkheads.phoenix.certs.worker.temporal.TemporalConnection;
import ai.thinkheads.phoenix.certs.worker.testing.WorkerProcesses;
import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateStatus;
import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateStatus.Outcome;
import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateWorkflow;
import ai.thinkheads.phoenix.certs.workflows.status.PromptQuery;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two estates that share a Temporal namespace by mistake: worker A and worker B, each with its own inventory (its
 * own CA and directory) and both a certificate called {@code web}, on one task queue. Worker A dies in the middle
 * of web's renewal and B takes the next steps. A worker refuses a step unless its own inventory holds that
 * certificate in the version the cycle started from, so a cycle never mixes the two estates (no key from A beside
 * a certificate from B, no pair of one estate's CA in the other's place, nothing of A's touched by B);
 * certificates fail instead, with a reason that names the cause. The README says: one namespace per estate.
 * (On the Java test server the worker that polled last takes every task, so the hand-over is made certain by
 * the kill, not left to chance.)
 */
class SharedNamespaceTest {

  static final Duration PATIENCE = Duration.ofSeconds(90);
  static final Duration POLL = Duration.ofMillis(250);

  @TempDir
  Path dir;

  @Test
  void twoInventoriesOnOneQueueRefuseEachOthersStepsAndNeverMixAPair() throws Exception {
    Path a = Files.createDirectories(dir.resolve("a"));
    Path b = Files.createDirectories(dir.resolve("b"));
    Path armed = a.resolve("armed");
    Path reloading = a.resolve("reloading");
    int port = FreePort.next();
    try (TemporalConnection temporal = TemporalConnection.embedded(port);
        WorkerProcesses workers = new WorkerProcesses(dir)) {
      WorkflowClient client = temporal.client();
      CertificateWorkflow web = client.newWorkflowStub(CertificateWorkflow.class, "cert/web");
      CertificateWorkflow onlyA = client.newWorkflowStub(CertificateWorkflow.class, "cert/only-a");
      Process workerA = workers.start(inventory(a, "only-a", armed, reloading), port, "worker-a");
      Polling.await(() -> statusOf(web), s -> s != null && s.lastOutcome() == Outcome.ISSUED, PATIENCE, POLL);
      Polling.await(() -> statusOf(onlyA), s -> s != null && s.lastOutcome() == Outcome.ISSUED, PATIENCE, POLL);

      // A renews web and dies in its reload, the new pair in place; B, with its own inventory, takes over
      Files.createFile(armed);
      web.renewNow();
      Polling.await(() -> Files.exists(reloading), done -> done, PATIENCE, POLL);
      workerA.destroyForcibly().waitFor();
      String pairInA = Files.readString(a.resolve("web.key")) + Files.readString(a.resolve("web.crt"));
      workers.start(inventory(b, "only-b", b.resolve("armed"), b.resolve("reloading")), port, "worker-b");

      CertificateStatus refused = Polling.await(() -> statusOf(web),
          s -> s.lastError() != null && s.lastError().contains("another worker with another inventory"), PATIENCE,
          POLL);
      assertTrue(refused.lastError().contains("/b/inventory.yaml"), "names the worker's inventory: "
          + refused.lastError());
      assertTrue(refused.lastError().contains("rollback failed too"), "and B rolled nothing back in its place: "
          + refused.lastError());
      onlyA.renewNow();
      String failed = Polling.await(() -> closedFailure(client, "cert/only-a"), m -> m != null, PATIENCE, POLL);
      assertTrue(failed.contains("cert/only-a is not in this worker's inventory (" + b.resolve("inventory.yaml")),
          failed);

      assertEquals(pairInA, Files.readString(a.resolve("web.key")) + Files.readString(a.resolve("web.crt")),
          "worker B touched estate A's pair");
      for (Path estate : List.of(a, b)) {
        X509Certificate root = Pem.certificates(Files.readString(estate.resolve("ca/root_ca.crt"))).get(0);
        for (String name : List.of("web", estate == a ? "only-a" : "only-b")) {
          checkPair(estate, name, root);
        }
      }
      assertFalse(Files.exists(a.resolve("only-b.crt")) || Files.exists(b.resolve("only-a.crt")),
          "a certificate went to the other estate's directory");
    }
  }

  /**
   * Asked again after 1 s: a query that lands as the run continues as new waits out 10 s on the test server, and
   * the refused cycle's status shows only until the retry that follows at once (a requested renewal) succeeds.
   */
  private static CertificateStatus statusOf(CertificateWorkflow workflow) {
    try {
      return PromptQuery.answer(workflow::status);
    } catch (RuntimeException notYet) {
      return null;
    }
  }

  /** The failure message of {@code workflowId}'s run once it closed failed; null while it runs. */
  private static String closedFailure(WorkflowClient client, String workflowId) {
    List<HistoryEvent> events = client.fetchHistory(workflowId).getEvents();
    HistoryEvent last = events.get(events.size() - 1);
    return last.getEventType() == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_FAILED
        ? last.getWorkflowExecutionFailedEventAttributes().getFailure().getMessage() : null;
  }

  /** Where a pair is, its key matches its certificate, and the certificate comes from this estate's own CA. */
  private static void checkPair(Path estate, String name, X509Certificate root) throws Exception {
    Path cert = estate.resolve(name + ".crt");
    if (!Files.exists(cert)) {
      return; // never issued here: every cycle for it was refused, which is fine
    }
    List<X509Certificate> chain = Pem.certificates(Files.readString(cert));
    assertTrue(KeyPairs.matches(Pem.privateKey(Files.readString(estate.resolve(name + ".key"))),
        chain.get(0).getPublicKey()), "a mixed pair at " + cert);
    try {
      chain.get(0).verify(chain.get(1).getPublicKey());
      chain.get(1).verify(root.getPublicKey());
    } catch (java.security.GeneralSecurityException e) {
      throw new AssertionError(cert + " (serial " + CertificateFacts.serialOf(chain.get(0))
          + ") is not from this estate's CA: " + e, e);
    }
  }

  /** web (whose reload, when armed, pauses long enough to be killed in) and one certificate of its own. */
  private Path inventory(Path estate, String own, Path armed, Path reloading) throws Exception {
    Path file = estate.resolve("inventory.yaml");
    Files.writeString(file, """
        ca: {type: local, dataDir: %1$s/ca}
        guests:
          - {name: here, kind: local}
        certificates:
          - name: web
            guest: here
            sans: [web.test]
            lifetime: 1h
            files: {cert: %1$s/web.crt, key: %1$s/web.key}
            reload: {type: command, argv: [sh, -c, 'if [ -e "$1" ]; then rm "$1"; touch "$2"; sleep 60; fi', reload,
                     %3$s, %4$s]}
          - name: %2$s
            guest: here
            sans: [%2$s.test]
            lifetime: 1h
            files: {cert: %1$s/%2$s.crt, key: %1$s/%2$s.key}
        """.formatted(estate, own, armed, reloading));
    return file;
  }
}
