package ai.thinkheads.phoenix.certs.activities.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.thinkheads.phoenix.certs.activities.crypto.Csrs;
import ai.thinkheads.phoenix.certs.activities.crypto.KeyPairs;
import ai.thinkheads.phoenix.certs.activities.crypto.Pem;
import ai.thinkheads.phoenix.certs.activities.estate.Authority;
import ai.thinkheads.phoenix.certs.activities.estate.Guest;
import ai.thinkheads.phoenix.certs.activities.issuer.IssueRequest;
import ai.thinkheads.phoenix.certs.activities.issuer.IssuedCertificate;
import ai.thinkheads.phoenix.certs.activities.issuer.LocalCaIssuer;
import ai.thinkheads.phoenix.certs.activities.plugin.BuiltInPlugins;
import ai.thinkheads.phoenix.certs.activities.plugin.PluginRegistry;
import ai.thinkheads.phoenix.certs.activities.plugin.Settings;
import ai.thinkheads.phoenix.certs.activities.testing.TestEstate;
import ai.thinkheads.phoenix.certs.activities.testing.guest.SimulatedGuest;
import ai.thinkheads.phoenix.certs.activities.testing.guest.SimulatedGuests;
import ai.thinkheads.phoenix.certs.activities.transport.FileAttributes;
import ai.thinkheads.phoenix.certs.activities.transport.Transport;
import ai.thinkheads.phoenix.certs.activities.transport.ssh.SshConnectionPool;
import ai.thinkheads.phoenix.certs.workflows.audit.AuditReport;
import ai.thinkheads.phoenix.certs.workflows.audit.AuditRequest;
import ai.thinkheads.phoenix.certs.workflows.audit.AuditWorkflow;
import ai.thinkheads.phoenix.certs.workflows.audit.AuditWorkflowImpl;
import ai.thinkheads.phoenix.certs.workflows.audit.CertificateKind;
import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateWorkflow;
import ai.thinkheads.phoenix.certs.workflows.model.CertificateFiles;
import ai.thinkheads.phoenix.certs.workflows.model.CertificateSpec;
import ai.thinkheads.phoenix.certs.workflows.model.KeyAlgorithm;
import ai.thinkheads.phoenix.certs.workflows.model.StepSpec;
import ai.thinkheads.phoenix.certs.workflows.model.TargetSpec;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * An audit of 30 sshd guests (each: its trust stores, one managed pair, one TLS endpoint) against an audit of 1
 * guest, in the same run, with the default concurrency (32). Target: 30 guests take at most 4x one guest.
 */
@Tag("benchmark")
class AuditBenchmark {

  static final int MAX = 30;

  @RegisterExtension
  static final SimulatedGuests GUESTS = SimulatedGuests.count(MAX);

  @TempDir
  Path dir;

  @Test
  void thirtyGuestsAgainstOne() throws Exception {
    LocalCaIssuer issuer = new LocalCaIssuer(dir.resolve("ca"), "Audit Bench CA");
    List<SSLServerSocket> endpoints = new ArrayList<>();
    try (SshConnectionPool pool = new SshConnectionPool()) {
      PluginRegistry plugins = BuiltInPlugins.registry(pool);
      List<Guest> guests = new ArrayList<>();
      List<CertificateSpec> specs = new ArrayList<>();
      List<Settings> endpointSources = new ArrayList<>();
      for (int i = 0; i < MAX; i++) {
        SimulatedGuest sim = GUESTS.guest(i);
        String id = "lxc/" + (2000 + i);
        Guest guest = new Guest(id, 2000 + i, "bench-" + i, "lxc", new TargetSpec("ssh", id,
            sim.sshOptions(GUESTS.keys().ed25519())), List.of("traefik"));
        guests.add(guest);
        Transport transport = plugins.transport("ssh").open(guest.target());
        KeyPair keys = KeyPairs.generate(KeyAlgorithm.ECDSA_P256);
        String name = "web" + i + ".bench.test";
        IssuedCertificate issued = issuer.issue(new IssueRequest("web" + i, Csrs.create(keys, name, List.of(name)),
            name, List.of(name), List.of(), Duration.ofDays(30)));
        transport.write("/etc/nginx/ssl/web.crt", Pem.encodeChain(issued.chain()).getBytes(StandardCharsets.US_ASCII),
            FileAttributes.mode("0644"));
        transport.write("/etc/nginx/ssl/web.key", Pem.encode(keys.getPrivate()).getBytes(StandardCharsets.US_ASCII),
            FileAttributes.mode("0600"));
        // Traefik's store (a file, no rebuild): the system store would need update-ca-certificates on 30 guests first
        transport.write("/etc/traefik/ssl/phoenix_ca.crt",
            Pem.encode(issuer.root()).getBytes(StandardCharsets.US_ASCII), FileAttributes.mode("0644"));
        specs.add(new CertificateSpec("web" + i, guest.target(), "local", name, List.of(name),
            KeyAlgorithm.ECDSA_P256, List.of(), Duration.ofDays(30), 0, null,
            new CertificateFiles("/etc/nginx/ssl/web.crt", "/etc/nginx/ssl/web.key", null, null, null, null),
            StepSpec.none(), StepSpec.none(), StepSpec.none(), List.of()));
        SSLServerSocket server = serve(keys, issued.chain());
        endpoints.add(server);
        endpointSources.add(Settings.of(new EndpointSource(), Map.of("address", "127.0.0.1:" + server.getLocalPort(),
            "serverName", name)));
      }
      StringBuilder report = new StringBuilder(String.format("%n== estate audit (%d cores)%n",
          Runtime.getRuntime().availableProcessors()));
      audit(plugins, issuer, guests, specs, endpointSources, 2, new StringBuilder()); // warm-up, not counted
      double one = audit(plugins, issuer, guests, specs, endpointSources, 1, report);
      double all = audit(plugins, issuer, guests, specs, endpointSources, MAX, report);
      report.append(String.format("%d guests / 1 guest: %.1fx (target <= 4x)%n", MAX, all / one));
      System.out.println(report);
    } finally {
      for (SSLServerSocket server : endpoints) {
        server.close();
      }
    }
  }

  private double audit(PluginRegistry plugins, LocalCaIssuer issuer, List<Guest> guests, List<CertificateSpec> specs,
      List<Settings> endpoints, int count, StringBuilder report) throws Exception {
    TestEstate estate = new TestEstate(issuer);
    for (int i = 0; i < count; i++) {
      estate.put(guests.get(i)).put(specs.get(i));
    }
    estate.audit(new AuditSpec(null, 0, null, endpoints.subList(0, count)));
    try (TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance(
        TestEnvironmentOptions.newBuilder().setUseTimeskipping(false).build())) {
      Worker worker = env.newWorker(CertificateWorkflow.TASK_QUEUE);
      worker.registerWorkflowImplementationTypes(AuditWorkflowImpl.class);
      worker.registerActivitiesImplementations(new AuditActivitiesImpl(new Authority(() -> estate), plugins, null,
          new AuditArchive(Files.createTempDirectory(dir, "archive")), null, Clock.systemUTC()));
      env.start();
      long busyBefore = busyJiffies();
      long start = System.nanoTime();
      AuditReport result = env.getWorkflowClient().newWorkflowStub(AuditWorkflow.class, WorkflowOptions.newBuilder()
          .setWorkflowId(AuditRequest.WORKFLOW_ID).setTaskQueue(CertificateWorkflow.TASK_QUEUE).build())
          .run(AuditRequest.of("benchmark"));
      double seconds = (System.nanoTime() - start) / 1e9;
      double cpu = (busyJiffies() - busyBefore) / 100.0;
      assertEquals(count, result.facts().certificates().stream().filter(c -> c.kind() == CertificateKind.MANAGED)
          .count());
      assertEquals(count, result.facts().certificates().stream().filter(c -> c.kind() == CertificateKind.ENDPOINT)
          .count());
      assertTrue(result.facts().unreachable().isEmpty(), result.facts().unreachable().toString());
      assertEquals(List.of(), result.findings(), "a healthy estate: nothing found");
      report.append(String.format("audit of %2d guest(s) (trust stores, a managed pair, an endpoint each): %.2f s "
          + "(%.3f s per guest; machine CPU %.1f s, %.2f s per guest, cores %.0f%% busy)%n", count, seconds,
          seconds / count, cpu, cpu / count, 100 * cpu / (seconds * Runtime.getRuntime().availableProcessors())));
      return seconds;
    }
  }

  /** Busy jiffies of the whole machine (/proc/stat): user, nice, system, irq, softirq, steal. */
  private static long busyJiffies() throws Exception {
    String[] fields = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
    long busy = 0;
    for (int i = 1; i < Math.min(fields.length, 9); i++) {
      busy += i == 4 || i == 5 ? 0 : Long.parseLong(fields[i]);
    }
    return busy;
  }

  /** A TLS endpoint in this JVM serving {@code chain}: handshakes, then closes. */
  private static SSLServerSocket serve(KeyPair keys, List<X509Certificate> chain) throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    store.setKeyEntry("k", keys.getPrivate(), new char[0], chain.toArray(X509Certificate[]::new));
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(store, new char[0]);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(kmf.getKeyManagers(), null, null);
    SSLServerSocket server = (SSLServerSocket) context.getServerSocketFactory().createServerSocket(0, 50,
        InetAddress.getLoopbackAddress());
    Thread thread = new Thread(() -> {
      while (!server.isClosed()) {
        try (SSLSocket socket = (SSLSocket) server.accept()) {
          socket.startHandshake();
        } catch (Exception ignored) {
          // a probe that closed early, or the server closing
        }
      }
    }, "bench-tls-" + server.getLocalPort());
    thread.setDaemon(true);
    thread.start();
    return server;
  }
}
