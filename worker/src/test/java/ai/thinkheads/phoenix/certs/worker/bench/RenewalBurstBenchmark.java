package ai.thinkheads.phoenix.certs.worker.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.thinkheads.phoenix.certs.activities.testing.GuestNginx;
import ai.thinkheads.phoenix.certs.activities.testing.guest.SimulatedGuest;
import ai.thinkheads.phoenix.certs.activities.testing.guest.SimulatedGuests;
import ai.thinkheads.phoenix.certs.activities.transport.ExecResult;
import ai.thinkheads.phoenix.certs.activities.transport.ssh.SshConnectionPool;
import ai.thinkheads.phoenix.certs.activities.transport.ssh.SshTransportFactory;
import ai.thinkheads.phoenix.certs.worker.engine.Engine;
import ai.thinkheads.phoenix.certs.worker.inventory.Inventory;
import ai.thinkheads.phoenix.certs.worker.plugins.Plugins;
import ai.thinkheads.phoenix.certs.worker.temporal.TemporalConnection;
import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateStatus;
import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateStatus.Outcome;
import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateWorkflow;
import ai.thinkheads.phoenix.certs.workflows.model.CertificateSpec;
import ai.thinkheads.phoenix.certs.workflows.model.TargetSpec;
import io.micronaut.context.ApplicationContext;
import io.temporal.client.WorkflowClient;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * 100 certificates spread over 10 sshd guests, each guest running one real nginx that serves its 10 certificates
 * by SNI; every certificate has the steps of the seed's gateway: `nginx -t`, reload nginx, TLS verify of the
 * served serial. All 100 are first issued over placeholders, then renewed at once (renewNow to all): wall time,
 * and how many reloads nginx got. Runs the whole worker (Micronaut wiring, embedded Temporal). Prints figures.
 */
@Tag("benchmark")
class RenewalBurstBenchmark {

  static final int GUEST_COUNT = Integer.getInteger("burst.guests", 10);
  static final int PER_GUEST = Integer.getInteger("burst.perGuest", 10);

  @RegisterExtension
  static final SimulatedGuests GUESTS = SimulatedGuests.count(GUEST_COUNT);

  @TempDir
  Path dir;

  @Test
  void renewalOfAHundredCertificatesOnTenGuests() throws Exception {
    int[] ports = new int[GUEST_COUNT];
    Path file = dir.resolve("inventory.yaml");
    StringBuilder yaml = new StringBuilder("ca: {type: local, dataDir: " + dir + "/ca}\nguests:\n");
    StringBuilder certificates = new StringBuilder("certificates:\n");
    try (SshConnectionPool pool = new SshConnectionPool()) {
      for (int g = 0; g < GUEST_COUNT; g++) {
        SimulatedGuest guest = GUESTS.guest(g);
        ports[g] = freePort();
        Path nginx = writeNginx(guest, g, ports[g]);
        yaml.append("  - {vmid: ").append(2000 + g).append(", kind: lxc, transport: ssh, address: 127.0.0.1, port: ")
            .append(guest.port()).append(", identityFile: ").append(GUESTS.keys().ed25519()).append(", knownHosts: ")
            .append(guest.knownHosts()).append("}\n");
        for (int c = 0; c < PER_GUEST; c++) {
          certificates.append("  - name: ").append(name(g, c)).append("\n    guest: ").append(2000 + g)
              .append("\n    sans: [").append(host(g, c)).append("]\n    lifetime: 1h\n")
              .append("    files: {cert: ").append(certPath(g, c)).append(", key: ").append(keyPath(g, c))
              .append("}\n")
              .append("    validate: {type: command, argv: [nginx, -t, -q, -c, ").append(nginx.resolve("nginx.conf"))
              .append(", -e, ").append(nginx.resolve("error.log")).append("]}\n")
              .append("    reload: {type: command, argv: [sh, -c, 'echo reload >> \"$1/reloads.log\"; exec nginx -s ")
              .append("reload -c \"$1/nginx.conf\" -e \"$1/error.log\"', reload, ").append(nginx).append("]}\n")
              .append("    verify: {type: tls, options: {endpoint: \"127.0.0.1:").append(ports[g])
              .append("\", serverName: ").append(host(g, c)).append("}}\n");
        }
        startNginx(pool, guest, nginx);
      }
      Files.writeString(file, yaml.append(certificates));

      try (ApplicationContext context = ApplicationContext.run()) {
        Plugins plugins = context.getBean(Plugins.class);
        Inventory inventory = plugins.inventoryLoader().load(file);
        try (Engine engine = Engine.start(inventory, plugins, TemporalConnection.embedded(freePort()),
            Duration.ofHours(1))) {
          WorkflowClient client = engine.client();
          long start = System.nanoTime();
          // Over a placeholder pair the first issuance counts as a renewal: something was live before.
          awaitAll(client, inventory, s -> s.lastOutcome() == Outcome.RENEWED && s.renewals() == 1);
          double issue = (System.nanoTime() - start) / 1e9;
          long reloadsAtIssue = countReloads();

          start = System.nanoTime();
          for (CertificateSpec spec : inventory.certificates()) {
            client.newWorkflowStub(CertificateWorkflow.class, spec.workflowId()).renewNow();
          }
          awaitAll(client, inventory, s -> s.lastOutcome() == Outcome.RENEWED && s.renewals() == 2);
          double renew = (System.nanoTime() - start) / 1e9;
          long reloads = countReloads() - reloadsAtIssue;

          int served = 0;
          for (int g = 0; g < GUEST_COUNT; g++) {
            for (int c = 0; c < PER_GUEST; c++) {
              CertificateStatus status = client.newWorkflowStub(CertificateWorkflow.class, "cert/" + name(g, c))
                  .status();
              served += status.serial().equals(GuestNginx.servedSerial(ports[g], host(g, c))) ? 1 : 0;
            }
          }
          System.out.printf("%n== renewal burst: %d certificates on %d sshd guests, one nginx each (embedded "
              + "Temporal, %d cores)%n", GUEST_COUNT * PER_GUEST, GUEST_COUNT,
              Runtime.getRuntime().availableProcessors());
          System.out.printf("first issuance of all (over placeholders): %.2f s, %d nginx reloads%n", issue,
              reloadsAtIssue);
          System.out.printf("renewNow to all:                           %.2f s, %d nginx reloads (one per guest "
              + "would be %d; one per certificate %d)%n", renew, reloads, GUEST_COUNT, GUEST_COUNT * PER_GUEST);
          System.out.printf("nginx serves the renewed serial:           %d of %d%n", served,
              GUEST_COUNT * PER_GUEST);
          assertEquals(GUEST_COUNT * PER_GUEST, served);
          assertTrue(reloads >= GUEST_COUNT, "every guest's nginx was reloaded at least once");
        }
      } finally {
        for (int g = 0; g < GUEST_COUNT; g++) {
          stopNginx(GUESTS.guest(g).dir().resolve("nginx-burst"));
        }
      }
    }
  }

  static String name(int g, int c) {
    return "g" + g + "-c" + c;
  }

  static String host(int g, int c) {
    return "c" + c + ".g" + g + ".test";
  }

  static String certPath(int g, int c) {
    return "/etc/nginx/ssl/" + name(g, c) + ".crt";
  }

  static String keyPath(int g, int c) {
    return "/etc/nginx/ssl/" + name(g, c) + ".key";
  }

  /** One nginx per guest serving its 10 certificates by SNI, over placeholder pairs until the engine issues. */
  private Path writeNginx(SimulatedGuest guest, int g, int port) throws Exception {
    Path nginx = Files.createDirectories(guest.dir().resolve("nginx-burst").resolve("tmp")).getParent();
    Path placeholderKey = dir.resolve("placeholder.key");
    Path placeholderCert = dir.resolve("placeholder.crt");
    if (!Files.exists(placeholderCert)) {
      Process openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
          "ec_paramgen_curve:P-256", "-nodes", "-subj", "/CN=placeholder.invalid", "-days", "1", "-keyout",
          placeholderKey.toString(), "-out", placeholderCert.toString()).redirectErrorStream(true).start();
      openssl.getInputStream().readAllBytes();
      assertEquals(0, openssl.waitFor(), "openssl made the placeholder pair");
    }
    StringBuilder servers = new StringBuilder();
    for (int c = 0; c < PER_GUEST; c++) {
      Files.copy(placeholderKey, guest.hostPath(keyPath(g, c)));
      Files.copy(placeholderCert, guest.hostPath(certPath(g, c)));
      servers.append("""
            server {
              listen 127.0.0.1:%d ssl;
              server_name %s;
              ssl_certificate %s;
              ssl_certificate_key %s;
              return 200 "ok";
            }
          """.formatted(port, host(g, c), certPath(g, c), keyPath(g, c)));
    }
    Files.writeString(nginx.resolve("nginx.conf"), """
        pid %1$s/nginx.pid;
        error_log %1$s/error.log;
        worker_processes 1;
        events { worker_connections 256; }
        http {
          access_log off;
          client_body_temp_path %1$s/tmp/body;
          proxy_temp_path %1$s/tmp/proxy;
          fastcgi_temp_path %1$s/tmp/fastcgi;
          uwsgi_temp_path %1$s/tmp/uwsgi;
          scgi_temp_path %1$s/tmp/scgi;
        %2$s}
        """.formatted(nginx, servers));
    return nginx;
  }

  /** Inside the guest (its private /etc/nginx/ssl), so started over ssh. */
  private static void startNginx(SshConnectionPool pool, SimulatedGuest guest, Path nginx) {
    ExecResult started = new SshTransportFactory(pool).open(new TargetSpec("ssh", "lxc/start",
        guest.sshOptions(GUESTS.keys().ed25519()))).exec(List.of("nginx", "-c", nginx.resolve("nginx.conf")
        .toString(), "-e", nginx.resolve("error.log").toString()), Duration.ofSeconds(20));
    assertTrue(started.succeeded(), "nginx started in " + guest.dir() + ": " + started.tail());
  }

  private static void stopNginx(Path nginx) throws Exception {
    Path pid = nginx.resolve("nginx.pid");
    if (Files.exists(pid)) {
      new ProcessBuilder("kill", Files.readString(pid).trim()).start().waitFor();
    }
  }

  private static long countReloads() throws Exception {
    long total = 0;
    for (int g = 0; g < GUEST_COUNT; g++) {
      Path log = GUESTS.guest(g).dir().resolve("nginx-burst").resolve("reloads.log");
      total += Files.exists(log) ? Files.readAllLines(log).size() : 0;
    }
    return total;
  }

  private static void awaitAll(WorkflowClient client, Inventory inventory, Predicate<CertificateStatus> done)
      throws InterruptedException {
    long deadline = System.currentTimeMillis() + Long.getLong("burst.waitMillis", 300_000);
    for (CertificateSpec spec : inventory.certificates()) {
      CertificateStatus status = null;
      while (true) {
        try {
          status = client.newWorkflowStub(CertificateWorkflow.class, spec.workflowId()).status();
          if (status != null && done.test(status)) {
            break;
          }
        } catch (RuntimeException notYet) {
          // not started yet, or between two runs
        }
        if (System.currentTimeMillis() > deadline) {
          throw new AssertionError(spec.name() + " did not get there in 300 s; last status " + status);
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
