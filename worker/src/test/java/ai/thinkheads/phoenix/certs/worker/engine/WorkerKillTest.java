package ai.thinkheads.phoenix.certs.worker.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.thinkheads.phoenix.certs.activities.crypto.KeyPairs;
import ai.thinkheads.phoenix.certs.activities.crypto.Pem;
import ai.thinkheads.phoenix.certs.activities.testing.GuestNginx;
import ai.thinkheads.phoenix.certs.activities.testing.Polling;
import ai.thinkheads.phoenix.certs.activities.testing.guest.SimulatedGuest;
import ai.thinkheads.phoenix.certs.activities.testing.guest.SimulatedGuests;
import ai.thinkheads.phoenix.certs.worker.temporal.TemporalConnection;
import ai.thinkheads.phoenix.certs.worker.testing.WorkerProcesses;
import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateStatus;
import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateStatus.Outcome;
import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateWorkflow;
import io.temporal.client.WorkflowClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The worker process is SIGKILLed in the middle of a renewal (new pair live, `nginx -t` running) and a new worker
 * process finishes it. Real parts: a Temporal server in this JVM (Temporal's test server, wall clock), two worker
 * JVMs started as operators start them ({@code run --inventory}), an sshd guest with nginx serving TLS.
 * The key and certificate on the guest must match whenever no worker is touching them.
 */
class WorkerKillTest {

  @RegisterExtension
  static final SimulatedGuests GUESTS = SimulatedGuests.count(1);

  static final String NAME = "internal-traefik-proxy";
  static final String SERVER_NAME = "traefik.internal.thinkheads.ai";

  @TempDir
  Path dir;

  private WorkerProcesses workers;
  private TemporalConnection temporal;
  private GuestNginx nginx;

  @AfterEach
  void tearDown() throws Exception {
    if (workers != null) {
      workers.close();
    }
    if (nginx != null) {
      new ProcessBuilder("sh", "-c", "[ -s \"$1\" ] && kill \"$(cat \"$1\")\" || true", "stop",
          nginx.config().resolveSibling("nginx.pid").toString()).start().waitFor();
    }
    if (temporal != null) {
      temporal.close();
    }
  }

  @Test
  void aRestartedWorkerFinishesTheRenewalAKilledWorkerStarted() throws Exception {
    SimulatedGuest guest = GUESTS.guest(0);
    nginx = new GuestNginx(guest, NAME, SERVER_NAME);
    Path armed = dir.resolve("armed");
    Path validating = dir.resolve("validating");
    Path validations = dir.resolve("validations");
    Path inventory = writeInventory(guest, armed, validating, validations);
    int port = DevStackTest.freePort();
    temporal = TemporalConnection.embedded(port);
    WorkflowClient client = temporal.client();
    workers = new WorkerProcesses(dir);

    Process first = workers.start(inventory, port, "first");
    CertificateWorkflow workflow = client.newWorkflowStub(CertificateWorkflow.class, "cert/" + NAME);
    CertificateStatus issued = await(workflow, s -> s.lastOutcome() == Outcome.ISSUED, first);
    assertEquals(issued.serial(), nginx.servedSerial(), "nginx serves the issued certificate");

    // Arm the validate step: on its next run it stays in `nginx -t` long enough to be killed there.
    Files.createFile(armed);
    workflow.renewNow();
    awaitFile(validating, first);
    String staged = livePair(guest);
    assertNotEquals(issued.serial(), staged, "the new pair is live when validate runs");

    first.destroyForcibly(); // SIGKILL: no shutdown hook, no graceful drain
    first.waitFor();
    assertEquals(staged, livePair(guest), "the killed worker left a matching pair");
    Thread.sleep(1000);
    assertEquals(staged, livePair(guest), "nothing touches the pair while no worker runs");

    Process second = workers.start(inventory, port, "second");
    CertificateStatus renewed = await(workflow, s -> s.lastOutcome() == Outcome.RENEWED, second);
    assertEquals(staged, renewed.serial(), "the restarted worker finished the renewal the killed one started; "
        + "its log:\n" + workers.output("second"));
    assertEquals(renewed.serial(), nginx.servedSerial(), "nginx serves the renewed certificate");
    assertEquals(renewed.serial(), livePair(guest));
    assertEquals(3, Files.readAllLines(validations).size(),
        "validate ran for the issuance, in the killed worker, and once more in the restarted one");
  }

  private Path writeInventory(SimulatedGuest guest, Path armed, Path validating, Path validations)
      throws Exception {
    // nginx -t, preceded (once, when armed) by a pause the test kills the worker in.
    String validate = "echo run >> \"$3\"; if [ -e \"$1\" ]; then rm -f \"$1\"; : > \"$2\"; sleep 40; fi; "
        + "shift 3; exec \"$@\"";
    List<String> validateArgv = new ArrayList<>(List.of("sh", "-c", validate, "validate", armed.toString(),
        validating.toString(), validations.toString()));
    validateArgv.addAll(nginx.testArgv());
    Path file = dir.resolve("inventory.yaml");
    Files.writeString(file, """
        ca: {type: local, dataDir: %s}
        guests:
          - {vmid: 101, name: nginx-gateway, kind: lxc, transport: ssh, address: 127.0.0.1, port: %d,
             identityFile: %s, knownHosts: %s}
        certificates:
          - name: %s
            guest: 101
            sans: ["*.internal.thinkheads.ai", %s]
            lifetime: 1h
            files: {cert: %s, key: %s}
            validate: {type: command, argv: %s}
            reload: {type: command, argv: %s}
            verify: {type: tls, options: {endpoint: "%s", serverName: %s}}
        """.formatted(dir.resolve("ca"), guest.port(), GUESTS.keys().ed25519(), guest.knownHosts(), NAME,
        SERVER_NAME, GuestNginx.certPath(NAME), GuestNginx.keyPath(NAME), yamlList(validateArgv),
        yamlList(nginx.reloadArgv()), nginx.endpoint(), SERVER_NAME));
    return file;
  }

  /** The serial of the live pair on the guest, after checking that its key and certificate match. */
  private static String livePair(SimulatedGuest guest) throws Exception {
    X509Certificate leaf = Pem.certificates(Files.readString(guest.hostPath(GuestNginx.certPath(NAME)))).get(0);
    boolean matches = KeyPairs.matches(Pem.privateKey(Files.readString(guest.hostPath(GuestNginx.keyPath(NAME)))),
        leaf.getPublicKey());
    assertTrue(matches, "key and certificate on the guest do not match (serial " + leaf.getSerialNumber()
        .toString(16) + ")");
    return leaf.getSerialNumber().toString(16);
  }

  private static CertificateStatus await(CertificateWorkflow workflow, Predicate<CertificateStatus> condition,
      Process worker) throws Exception {
    return Polling.await(() -> {
      assertTrue(worker.isAlive(), "the worker exited with " + (worker.isAlive() ? "" : worker.exitValue()));
      return workflow.status();
    }, condition, Duration.ofSeconds(90), Duration.ofMillis(250));
  }

  private static void awaitFile(Path file, Process worker) throws Exception {
    long deadline = System.currentTimeMillis() + 60_000;
    while (!Files.exists(file)) {
      assertTrue(worker.isAlive() && System.currentTimeMillis() < deadline, file + " never appeared");
      Thread.sleep(100);
    }
  }

  private static String yamlList(List<String> values) {
    StringBuilder out = new StringBuilder("[");
    for (String value : values) {
      out.append(out.length() > 1 ? ", " : "").append('\'').append(value.replace("'", "''")).append('\'');
    }
    return out.append(']').toString();
  }
}
