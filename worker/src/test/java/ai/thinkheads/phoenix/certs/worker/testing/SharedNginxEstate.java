package ai.thinkheads.phoenix.certs.worker.testing;

import ai.thinkheads.phoenix.certs.activities.testing.GuestNginx;
import ai.thinkheads.phoenix.certs.activities.testing.Polling;
import ai.thinkheads.phoenix.certs.activities.testing.guest.SimulatedGuest;
import ai.thinkheads.phoenix.certs.activities.testing.guest.SimulatedGuests;
import ai.thinkheads.phoenix.certs.activities.transport.ExecResult;
import ai.thinkheads.phoenix.certs.activities.transport.ssh.SshConnectionPool;
import ai.thinkheads.phoenix.certs.activities.transport.ssh.SshTransportFactory;
import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateStatus;
import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateWorkflow;
import ai.thinkheads.phoenix.certs.workflows.model.TargetSpec;
import io.temporal.client.WorkflowClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Certificates served by one real nginx per sshd guest, by SNI, each with the seed gateway's steps: `nginx -t`,
 * reload nginx (counted in {@code reloads.log}), TLS verify of the served serial. nginx starts over placeholder
 * pairs, as a service a setup script configured once would. Writes the inventory; stops every nginx on close.
 */
public final class SharedNginxEstate implements AutoCloseable {

  private final SimulatedGuests guests;
  private final int guestCount;
  private final int perGuest;
  private final Path dir;
  private final int[] ports;
  private final Path inventory;

  public SharedNginxEstate(SimulatedGuests guests, int guestCount, int perGuest, Path dir) throws Exception {
    this.guests = guests;
    this.guestCount = guestCount;
    this.perGuest = perGuest;
    this.dir = dir;
    this.ports = new int[guestCount];
    StringBuilder yaml = new StringBuilder("ca: {type: local, dataDir: " + dir + "/ca}\nguests:\n");
    StringBuilder certificates = new StringBuilder("certificates:\n");
    try (SshConnectionPool pool = new SshConnectionPool()) {
      for (int g = 0; g < guestCount; g++) {
        SimulatedGuest guest = guests.guest(g);
        ports[g] = freePort();
        Path nginx = writeNginx(guest, g, ports[g]);
        yaml.append("  - {vmid: ").append(2000 + g).append(", kind: lxc, transport: ssh, address: 127.0.0.1, port: ")
            .append(guest.port()).append(", identityFile: ").append(guests.keys().ed25519())
            .append(", knownHosts: ").append(guest.knownHosts()).append("}\n");
        for (int c = 0; c < perGuest; c++) {
          certificates.append("  - name: ").append(name(g, c)).append("\n    guest: ").append(2000 + g)
              .append("\n    sans: [").append(host(g, c)).append("]\n    lifetime: 1h\n")
              .append("    files: {cert: ").append(certPath(g, c)).append(", key: ").append(keyPath(g, c))
              .append("}\n")
              .append("    validate: {type: command, argv: [nginx, -t, -q, -c, ").append(nginx.resolve("nginx.conf"))
              .append(", -e, ").append(nginx.resolve("error.log")).append("]}\n")
              .append("    reload: {type: command, argv: [sh, -c, 'echo reload >> \"$1/reloads.log\"; exec nginx -s ")
              .append("reload -c \"$1/nginx.conf\" -e \"$1/error.log\"', reload, ").append(nginx).append("]}\n")
              .append("    verify: {type: tls, endpoint: \"127.0.0.1:").append(ports[g])
              .append("\", serverName: ").append(host(g, c)).append("}\n");
        }
        startNginx(pool, guest, nginx);
      }
    }
    inventory = dir.resolve("inventory.yaml");
    Files.writeString(inventory, yaml.append(certificates));
  }

  public Path inventory() {
    return inventory;
  }

  public List<String> workflowIds() {
    List<String> ids = new ArrayList<>();
    for (int g = 0; g < guestCount; g++) {
      for (int c = 0; c < perGuest; c++) {
        ids.add("cert/" + name(g, c));
      }
    }
    return ids;
  }

  /** nginx reloads so far, on all guests. */
  public long reloads() throws IOException {
    long total = 0;
    for (int g = 0; g < guestCount; g++) {
      Path log = nginxDir(g).resolve("reloads.log");
      total += Files.exists(log) ? Files.readAllLines(log).size() : 0;
    }
    return total;
  }

  /** How many certificates nginx serves with the serial their workflow reports. */
  public int servedAsReported(WorkflowClient client) throws Exception {
    int served = 0;
    for (int g = 0; g < guestCount; g++) {
      for (int c = 0; c < perGuest; c++) {
        CertificateStatus status = client.newWorkflowStub(CertificateWorkflow.class, "cert/" + name(g, c)).status();
        served += status.serial().equals(GuestNginx.servedSerial(ports[g], host(g, c))) ? 1 : 0;
      }
    }
    return served;
  }

  public void renewAll(WorkflowClient client) {
    for (String id : workflowIds()) {
      client.newWorkflowStub(CertificateWorkflow.class, id).renewNow();
    }
  }

  /** Waits until every certificate's status passes {@code done}; fails naming the first that did not. */
  public void awaitAll(WorkflowClient client, Predicate<CertificateStatus> done, Duration limit)
      throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    for (String id : workflowIds()) {
      Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
      try {
        Polling.await(client.newWorkflowStub(CertificateWorkflow.class, id)::status, done, left,
            Duration.ofMillis(100));
      } catch (AssertionError late) {
        throw new AssertionError(id + ": " + late.getMessage(), late);
      }
    }
  }

  @Override
  public void close() throws Exception {
    for (int g = 0; g < guestCount; g++) {
      Path pid = nginxDir(g).resolve("nginx.pid");
      if (Files.exists(pid)) {
        new ProcessBuilder("kill", Files.readString(pid).trim()).start().waitFor();
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

  private Path nginxDir(int g) {
    return guests.guest(g).dir().resolve("nginx-shared");
  }

  private Path writeNginx(SimulatedGuest guest, int g, int port) throws Exception {
    Path nginx = nginxDir(g);
    Files.createDirectories(nginx.resolve("tmp"));
    Path placeholderKey = dir.resolve("placeholder.key");
    Path placeholderCert = dir.resolve("placeholder.crt");
    if (!Files.exists(placeholderCert)) {
      Process openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
          "ec_paramgen_curve:P-256", "-nodes", "-subj", "/CN=placeholder.invalid", "-days", "1", "-keyout",
          placeholderKey.toString(), "-out", placeholderCert.toString()).redirectErrorStream(true).start();
      String output = new String(openssl.getInputStream().readAllBytes());
      if (openssl.waitFor() != 0) {
        throw new IllegalStateException("openssl could not make the placeholder pair: " + output);
      }
    }
    StringBuilder servers = new StringBuilder();
    for (int c = 0; c < perGuest; c++) {
      Files.copy(placeholderKey, guest.hostPath(keyPath(g, c)));
      Files.copy(placeholderCert, guest.hostPath(certPath(g, c)));
      servers.append(GuestNginx.server(port, host(g, c), certPath(g, c), keyPath(g, c)));
    }
    Files.writeString(nginx.resolve("nginx.conf"), GuestNginx.config(nginx, servers.toString()));
    return nginx;
  }

  /** Inside the guest (its private /etc/nginx/ssl), so started over ssh. */
  private void startNginx(SshConnectionPool pool, SimulatedGuest guest, Path nginx) {
    ExecResult started = new SshTransportFactory(pool).open(new TargetSpec("ssh", "lxc/start",
        guest.sshOptions(guests.keys().ed25519()))).exec(List.of("nginx", "-c", nginx.resolve("nginx.conf")
        .toString(), "-e", nginx.resolve("error.log").toString()), Duration.ofSeconds(20));
    if (!started.succeeded()) {
      throw new IllegalStateException("nginx did not start in " + guest.dir() + ": " + started.tail());
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
