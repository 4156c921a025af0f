package ai.thinkheads.phoenix.certs.worker.testing;

import ai.thinkheads.phoenix.certs.activities.crypto.KeyPairs;
import ai.thinkheads.phoenix.certs.activities.crypto.Pem;
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
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Certificates on sshd guests, each with the seed gateway's steps. On an nginx guest one real nginx serves all of
 * the guest's certificates by SNI: `nginx -t`, reload nginx (counted in {@code reloads.log}), TLS verify of the
 * served serial; nginx starts over placeholder pairs, as a service a setup script configured once would. On the
 * other guests validate and reload are stand-ins and verify reads the pair back.
 *
 * <p>With transcripts, each guest records what happens to its pairs in {@code transcript.log}, one line per
 * event, in order: a stand-in {@code mv} (first on root's PATH) writes "swap <file> begin|end" around every rename
 * onto a live key or certificate, and pauses 300 ms after a key's, so a half-swapped pair lasts long enough to be
 * seen; validate and reload write "validate|reload begin|end" around the real step. {@link #violations} reads it.
 * Writes the inventory; stops every nginx on close.
 */
public final class SharedNginxEstate implements AutoCloseable {

  /**
   * @param nginxGuests how many of the guests (the first ones) run nginx
   * @param transcripts whether each guest records its swaps, validates and reloads
   */
  public record Layout(int guests, int perGuest, int nginxGuests, boolean transcripts) {
    public static Layout allNginx(int guests, int perGuest) {
      return new Layout(guests, perGuest, guests, false);
    }
  }

  static final String RECORDING_MV = """
      #!/bin/sh
      # stand-in for mv: records renames onto a live key or certificate, and pauses after a key's
      t=TRANSCRIPT
      dest=; for a in "$@"; do dest=$a; done
      case "$dest" in *.key|*.crt) echo "swap $dest begin" >> $t ;; esac
      /bin/mv "$@"; rc=$?
      case "$dest" in
        *.key) echo "swap $dest end" >> $t; sleep 0.3 ;;
        *.crt) echo "swap $dest end" >> $t ;;
      esac
      exit $rc
      """;

  /** Wraps a step's argv: "<op> begin", a short pause (widening any overlap), the step, "<op> end". */
  static final String RECORDED = "o=$1; t=$2; shift 2; echo \"$o begin\" >> \"$t\"; sleep 0.1; \"$@\"; rc=$?; "
      + "echo \"$o end\" >> \"$t\"; exit $rc";

  private final SimulatedGuests guests;
  private final Layout layout;
  private final Path dir;
  private final int[] ports;
  private final Path inventory;

  public SharedNginxEstate(SimulatedGuests guests, int guestCount, int perGuest, Path dir) throws Exception {
    this(guests, Layout.allNginx(guestCount, perGuest), dir);
  }

  public SharedNginxEstate(SimulatedGuests guests, Layout layout, Path dir) throws Exception {
    this.guests = guests;
    this.layout = layout;
    this.dir = dir;
    this.ports = new int[layout.guests()];
    StringBuilder yaml = new StringBuilder("ca: {type: local, dataDir: " + dir + "/ca}\nguests:\n");
    StringBuilder certificates = new StringBuilder("certificates:\n");
    try (SshConnectionPool pool = new SshConnectionPool()) {
      for (int g = 0; g < layout.guests(); g++) {
        SimulatedGuest guest = guests.guest(g);
        Path here = Files.createDirectories(guestDir(g).resolve("tmp")).getParent();
        // the guests outlive one estate (one set per test class): start from empty records
        Files.deleteIfExists(transcript(g));
        Files.deleteIfExists(here.resolve("reloads.log"));
        if (layout.transcripts()) {
          Path mv = guest.hostPath("/usr/local/sbin/mv");
          Files.writeString(mv, RECORDING_MV.replace("TRANSCRIPT", transcript(g).toString()));
          Files.setPosixFilePermissions(mv, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        yaml.append("  - {vmid: ").append(2000 + g).append(", kind: lxc, transport: ssh, address: 127.0.0.1, port: ")
            .append(guest.port()).append(", identityFile: ").append(guests.keys().ed25519())
            .append(", knownHosts: ").append(guest.knownHosts()).append("}\n");
        boolean nginx = g < layout.nginxGuests();
        placePlaceholders(guest, g);
        if (nginx) {
          ports[g] = freePort();
          writeNginx(g, ports[g]);
        }
        for (int c = 0; c < layout.perGuest(); c++) {
          certificates.append("  - name: ").append(name(g, c)).append("\n    guest: ").append(2000 + g)
              .append("\n    sans: [").append(host(g, c)).append("]\n    lifetime: 1h\n")
              .append("    files: {cert: ").append(certPath(g, c)).append(", key: ").append(keyPath(g, c))
              .append("}\n");
          List<String> validate = nginx ? List.of("nginx", "-t", "-q", "-c", here.resolve("nginx.conf").toString(),
              "-e", here.resolve("error.log").toString()) : List.of("true");
          List<String> reload = List.of("sh", "-c", "echo reload >> \"$1/reloads.log\"" + (nginx
              ? "; exec nginx -s reload -c \"$1/nginx.conf\" -e \"$1/error.log\"" : ""), "reload", here.toString());
          certificates.append("    validate: {type: command, argv: ").append(yamlList(recorded("validate", g,
              validate))).append("}\n");
          certificates.append("    reload: {type: command, argv: ").append(yamlList(recorded("reload", g, reload)))
              .append("}\n");
          certificates.append(nginx ? "    verify: {type: tls, endpoint: \"127.0.0.1:" + ports[g] + "\", serverName: "
              + host(g, c) + "}\n" : "    verify: {type: readback}\n");
        }
        if (nginx) {
          startNginx(pool, guest, here);
        }
      }
    }
    inventory = dir.resolve("inventory.yaml");
    Files.writeString(inventory, yaml.append(certificates));
  }

  private List<String> recorded(String op, int g, List<String> argv) {
    if (!layout.transcripts()) {
      return argv;
    }
    List<String> wrapped = new ArrayList<>(List.of("sh", "-c", RECORDED, "recorded", op, transcript(g).toString()));
    wrapped.addAll(argv);
    return wrapped;
  }

  public Path inventory() {
    return inventory;
  }

  /** The port guest {@code g}'s nginx listens on (0 for a guest without nginx). */
  public int port(int g) {
    return ports[g];
  }

  /** The SNI name of certificate {@code c} on guest {@code g}, and where its certificate lives on the guest. */
  public static String serverName(int g, int c) {
    return host(g, c);
  }

  public static String certFile(int g, int c) {
    return certPath(g, c);
  }

  public List<String> workflowIds() {
    List<String> ids = new ArrayList<>();
    for (int g = 0; g < layout.guests(); g++) {
      for (int c = 0; c < layout.perGuest(); c++) {
        ids.add("cert/" + name(g, c));
      }
    }
    return ids;
  }

  /** The guest IDs, as the inventory names them. */
  public List<String> guestIds() {
    List<String> ids = new ArrayList<>();
    for (int g = 0; g < layout.guests(); g++) {
      ids.add("lxc/" + (2000 + g));
    }
    return ids;
  }

  /** Reloads so far, on all guests. */
  public long reloads() throws IOException {
    long total = 0;
    for (int g = 0; g < layout.guests(); g++) {
      total += reloads(g);
    }
    return total;
  }

  /** Reloads so far on guest {@code g}. */
  public long reloads(int g) throws IOException {
    Path log = guestDir(g).resolve("reloads.log");
    return Files.exists(log) ? Files.readAllLines(log).size() : 0;
  }

  /** What guest {@code g} recorded so far (transcripts only). */
  public List<String> transcript(int g, int from) throws IOException {
    Path log = transcript(g);
    List<String> lines = Files.exists(log) ? Files.readAllLines(log) : List.of();
    return lines.subList(Math.min(from, lines.size()), lines.size());
  }

  /** Where each guest's nginx keeps the pairs. */
  static final String PAIR_DIR = "/etc/nginx/ssl/";

  /**
   * Where a transcript shows a validate or reload reading a guest's pairs while one was half swapped (its key
   * renamed into place, its certificate not yet), or a swap during a validate or reload. Only the pairs count:
   * the trust store files a guest's onboarding writes (its CA file, the bundle) are not leased by the
   * coordinator and not read by a validate or reload.
   */
  public static List<String> violations(List<String> transcript) {
    List<String> found = new ArrayList<>();
    List<String> half = new ArrayList<>();
    int reading = 0;
    for (int i = 0; i < transcript.size(); i++) {
      String[] event = transcript.get(i).split(" ");
      if (event[0].equals("swap") && !event[1].startsWith(PAIR_DIR)) {
        continue;
      }
      if (event[0].equals("swap")) {
        String stem = event[1].replaceFirst("\\.(key|crt)$", "");
        if (reading > 0) {
          found.add("line " + (i + 1) + ": " + transcript.get(i) + " while " + reading + " validate/reload ran");
        }
        if (event[2].equals("end")) {
          if (event[1].endsWith(".key")) {
            half.add(stem);
          } else {
            half.remove(stem);
          }
        }
      } else if (event[1].equals("begin")) {
        reading++;
        if (!half.isEmpty()) {
          found.add("line " + (i + 1) + ": " + event[0] + " began while " + half + " half swapped");
        }
      } else {
        reading--;
      }
    }
    return found;
  }

  /** The certificates whose key on the guest does not match their certificate. */
  public List<String> mismatchedPairs() throws Exception {
    List<String> mismatched = new ArrayList<>();
    for (int g = 0; g < layout.guests(); g++) {
      SimulatedGuest guest = guests.guest(g);
      for (int c = 0; c < layout.perGuest(); c++) {
        X509Certificate leaf = Pem.certificates(Files.readString(guest.hostPath(certPath(g, c)))).get(0);
        if (!KeyPairs.matches(Pem.privateKey(Files.readString(guest.hostPath(keyPath(g, c)))), leaf.getPublicKey())) {
          mismatched.add(name(g, c) + " (certificate " + leaf.getSerialNumber().toString(16) + ")");
        }
      }
    }
    return mismatched;
  }

  /** How many certificates of the nginx guests nginx serves with the serial their workflow reports. */
  public int servedAsReported(WorkflowClient client) throws Exception {
    int served = 0;
    for (int g = 0; g < layout.nginxGuests(); g++) {
      for (int c = 0; c < layout.perGuest(); c++) {
        CertificateStatus status = client.newWorkflowStub(CertificateWorkflow.class, "cert/" + name(g, c)).status();
        served += status.serial().equals(GuestNginx.servedSerial(ports[g], host(g, c))) ? 1 : 0;
      }
    }
    return served;
  }

  /** How many certificates nginx serves. */
  public int nginxCertificates() {
    return layout.nginxGuests() * layout.perGuest();
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
    for (int g = 0; g < layout.nginxGuests(); g++) {
      Path pid = guestDir(g).resolve("nginx.pid");
      if (Files.exists(pid)) {
        new ProcessBuilder("kill", Files.readString(pid).trim()).start().waitFor();
      }
    }
  }

  static String name(int g, int c) {
    return "g" + g + "-c" + c;
  }

  static String host(int g, int c) {
    return "c" + c + ".g" + g + ".internal.test";
  }

  static String certPath(int g, int c) {
    return PAIR_DIR + name(g, c) + ".crt";
  }

  static String keyPath(int g, int c) {
    return PAIR_DIR + name(g, c) + ".key";
  }

  private Path guestDir(int g) {
    return guests.guest(g).dir().resolve("nginx-shared");
  }

  private Path transcript(int g) {
    return guestDir(g).resolve("transcript.log");
  }

  /** Placeholder pairs where the certificates go, as a setup script would have left them. */
  private void placePlaceholders(SimulatedGuest guest, int g) throws Exception {
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
    for (int c = 0; c < layout.perGuest(); c++) {
      Files.copy(placeholderKey, guest.hostPath(keyPath(g, c)), StandardCopyOption.REPLACE_EXISTING);
      Files.copy(placeholderCert, guest.hostPath(certPath(g, c)), StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private void writeNginx(int g, int port) throws Exception {
    StringBuilder servers = new StringBuilder();
    for (int c = 0; c < layout.perGuest(); c++) {
      servers.append(GuestNginx.server(port, host(g, c), certPath(g, c), keyPath(g, c)));
    }
    Files.writeString(guestDir(g).resolve("nginx.conf"), GuestNginx.config(guestDir(g), servers.toString()));
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

  /** YAML flow list, each item single-quoted (argv items hold spaces, quotes and $). */
  private static String yamlList(List<String> values) {
    StringBuilder out = new StringBuilder("[");
    for (String value : values) {
      out.append(out.length() > 1 ? ", " : "").append('\'').append(value.replace("'", "''")).append('\'');
    }
    return out.append(']').toString();
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
