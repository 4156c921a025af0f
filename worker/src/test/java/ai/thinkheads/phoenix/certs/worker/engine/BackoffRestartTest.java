package ai.thinkheads.phoenix.certs.worker.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.thinkheads.phoenix.certs.activities.issuer.LocalCaIssuer;
import ai.thinkheads.phoenix.certs.activities.testing.Polling;
import ai.thinkheads.phoenix.certs.worker.temporal.TemporalConnection;
import ai.thinkheads.phoenix.certs.worker.testing.FreePort;
import ai.thinkheads.phoenix.certs.worker.testing.WorkerProcesses;
import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateStatus;
import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateWorkflow;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A certificate whose renewal keeps failing, and its worker killed (SIGKILL) in the backoff: the worker that
 * takes over keeps the backoff. The next attempt comes when the status said, not at once, and renewNow in the
 * backoff does not bring it forward. The CA's issued.log counts what it signed.
 */
class BackoffRestartTest {

  @TempDir
  Path dir;

  @Test
  void aWorkerStartedDuringTheBackoffKeepsIt() throws Exception {
    Path inventory = dir.resolve("inventory.yaml");
    Files.writeString(inventory, """
        ca: {type: local, dataDir: %1$s/ca}
        guests:
          - {name: here, kind: local}
        certificates:
          - name: failing
            guest: here
            sans: [failing.test]
            lifetime: 1h
            files: {cert: %1$s/failing.crt, key: %1$s/failing.key}
            reload: {type: command, argv: [sh, -c, 'echo the service refuses the pair >&2; exit 1']}
        """.formatted(dir));
    int port = FreePort.next();
    try (TemporalConnection temporal = TemporalConnection.embedded(port);
        WorkerProcesses workers = new WorkerProcesses(dir)) {
      CertificateWorkflow workflow = temporal.client().newWorkflowStub(CertificateWorkflow.class, "cert/failing");
      Process first = workers.start(inventory, port, "first");
      CertificateStatus failed = Polling.await(() -> status(workflow), s -> s != null
          && s.consecutiveFailures() == 2 && s.phase().startsWith("backing off"), Duration.ofSeconds(90),
          Duration.ofMillis(100));
      first.destroyForcibly().waitFor();
      long signed = signed();
      Instant next = failed.nextRenewal();
      assertEquals(Duration.ofSeconds(20), Duration.between(failed.lastAttempt(), next).withNanos(0),
          "the second failure waits 20 s: " + failed);

      workers.start(inventory, port, "second");
      workflow.renewNow(); // remembered, served when the backoff ends: it does not end it
      CertificateStatus third = Polling.await(() -> status(workflow), s -> s != null && s.consecutiveFailures() == 3,
          Duration.ofSeconds(90), Duration.ofMillis(100));
      assertFalse(third.lastAttempt().isBefore(next), "attempt 3 at " + third.lastAttempt() + ", before " + next);
      // soon after it, at least: a busy machine starts the second worker JVM in seconds, not in a backoff
      assertTrue(third.lastAttempt().isBefore(next.plusSeconds(40)), "attempt 3 came late: " + third.lastAttempt());
      assertEquals(signed + 1, signed(), "one signature for the one attempt");
      assertEquals("CommandFailed", third.failure());
      assertTrue(third.lastError().contains("the service refuses the pair"), third.lastError());
    }
  }

  private long signed() throws Exception {
    return Files.readAllLines(dir.resolve("ca").resolve(LocalCaIssuer.ISSUED_LOG)).size();
  }

  private static CertificateStatus status(CertificateWorkflow workflow) {
    try {
      return workflow.status();
    } catch (RuntimeException notYet) {
      return null;
    }
  }
}
