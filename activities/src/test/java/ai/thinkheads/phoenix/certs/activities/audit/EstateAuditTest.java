package ai.thinkheads.phoenix.certs.activities.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.thinkheads.phoenix.certs.activities.certificate.CertificateActivitiesImpl;
import ai.thinkheads.phoenix.certs.activities.crypto.Csrs;
import ai.thinkheads.phoenix.certs.activities.crypto.KeyPairs;
import ai.thinkheads.phoenix.certs.activities.crypto.Pem;
import ai.thinkheads.phoenix.certs.activities.estate.Authority;
import ai.thinkheads.phoenix.certs.activities.estate.Guest;
import ai.thinkheads.phoenix.certs.activities.issuer.IssueRequest;
import ai.thinkheads.phoenix.certs.activities.issuer.IssuedCertificate;
import ai.thinkheads.phoenix.certs.activities.issuer.stepca.StepCaIssuer;
import ai.thinkheads.phoenix.certs.activities.plugin.BuiltInPlugins;
import ai.thinkheads.phoenix.certs.activities.plugin.PluginRegistry;
import ai.thinkheads.phoenix.certs.activities.plugin.Settings;
import ai.thinkheads.phoenix.certs.activities.testing.CertificateWorkers;
import ai.thinkheads.phoenix.certs.activities.testing.GuestNginx;
import ai.thinkheads.phoenix.certs.activities.testing.HeadlessChromium;
import ai.thinkheads.phoenix.certs.activities.testing.HistoryScan;
import ai.thinkheads.phoenix.certs.activities.testing.Polling;
import ai.thinkheads.phoenix.certs.activities.testing.RecordingCodec;
import ai.thinkheads.phoenix.certs.activities.testing.SelfSignedCertificates;
import ai.thinkheads.phoenix.certs.activities.testing.TestEstate;
import ai.thinkheads.phoenix.certs.activities.testing.guest.SimulatedGuest;
import ai.thinkheads.phoenix.certs.activities.testing.guest.SimulatedGuests;
import ai.thinkheads.phoenix.certs.activities.testing.stepca.StepCaExtension;
import ai.thinkheads.phoenix.certs.activities.testing.stepca.StepCaServer;
import ai.thinkheads.phoenix.certs.activities.transport.FileAttributes;
import ai.thinkheads.phoenix.certs.activities.transport.Transport;
import ai.thinkheads.phoenix.certs.activities.transport.ssh.SshConnectionPool;
import ai.thinkheads.phoenix.certs.activities.trust.TrustActivitiesImpl;
import ai.thinkheads.phoenix.certs.workflows.audit.AuditReport;
import ai.thinkheads.phoenix.certs.workflows.audit.AuditRequest;
import ai.thinkheads.phoenix.certs.workflows.audit.AuditWorkflow;
import ai.thinkheads.phoenix.certs.workflows.audit.AuditWorkflowImpl;
import ai.thinkheads.phoenix.certs.workflows.audit.CertificateFact;
import ai.thinkheads.phoenix.certs.workflows.audit.CertificateKind;
import ai.thinkheads.phoenix.certs.workflows.audit.ChainStatus;
import ai.thinkheads.phoenix.certs.workflows.audit.Finding;
import ai.thinkheads.phoenix.certs.workflows.audit.Severity;
import ai.thinkheads.phoenix.certs.workflows.audit.report.HtmlReport;
import ai.thinkheads.phoenix.certs.workflows.audit.report.JsonReport;
import ai.thinkheads.phoenix.certs.workflows.audit.report.MarkdownReport;
import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateRun;
import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateStatus;
import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateWorkflow;
import ai.thinkheads.phoenix.certs.workflows.guest.GuestOnboardingWorkflow;
import ai.thinkheads.phoenix.certs.workflows.guest.GuestOnboardingWorkflowImpl;
import ai.thinkheads.phoenix.certs.workflows.guest.TrustTarget;
import ai.thinkheads.phoenix.certs.workflows.model.CertificateFiles;
import ai.thinkheads.phoenix.certs.workflows.model.CertificateSpec;
import ai.thinkheads.phoenix.certs.workflows.model.KeyAlgorithm;
import ai.thinkheads.phoenix.certs.workflows.model.KeyUsage;
import ai.thinkheads.phoenix.certs.workflows.model.StepSpec;
import ai.thinkheads.phoenix.certs.workflows.model.TargetSpec;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The audit on real components: step-ca, three sshd guests, nginx serving a managed certificate (renewed by its
 * running workflow) and another serving a self-signed one, a Traefik acme.json with certificates from step-ca, an
 * expired and an expiring file, and a guest whose trust store lacks the root. The report names each problem,
 * and nothing on the healthy parts; no private key reaches Temporal.
 */
@ExtendWith(StepCaExtension.class)
class EstateAuditTest {

  @RegisterExtension
  static final SimulatedGuests GUESTS = SimulatedGuests.count(3);

  @TempDir
  Path dir;

  StepCaServer ca;
  TestWorkflowEnvironment env;
  SshConnectionPool pool;
  RecordingCodec recorder;
  TestEstate estate;
  PluginRegistry plugins;
  final List<Transport> nginxes = new ArrayList<>();

  @BeforeEach
  void setUp(StepCaServer server) {
    ca = server;
    ca.start();
    pool = new SshConnectionPool();
    plugins = BuiltInPlugins.registry(pool);
    estate = new TestEstate(new StepCaIssuer(ca.config())).caHealthUrl(ca.url() + "/health");
    recorder = new RecordingCodec();
    env = TestWorkflowEnvironment.newInstance(TestEnvironmentOptions.newBuilder().setUseTimeskipping(false)
        .setWorkflowClientOptions(WorkflowClientOptions.newBuilder().setDataConverter(recorder.dataConverter())
            .build())
        .build());
  }

  @AfterEach
  void tearDown() {
    env.close();
    // the guests serve the whole run (SimulatedGuests): leave their trust stores and folders as this test found
    // them, or a later class's "new guest" already trusts this CA's root
    for (int i = 0; i < 3; i++) {
      SimulatedGuest sim = GUESTS.guest(i);
      plugins.transport("ssh").open(new TargetSpec("ssh", "lxc/" + (900 + i), sim.sshOptions(GUESTS.keys()
          .ed25519()))).exec(List.of("sh", "-c", "rm -rf /usr/local/share/ca-certificates/phoenix_ca*.crt "
              + "/etc/traefik/ssl/* /etc/docker/certs.d/* /etc/nginx/ssl/old /etc/nginx/ssl/soon.pem "
              + "&& update-ca-certificates --fresh >/dev/null 2>&1"), Duration.ofSeconds(60));
    }
    pool.close();
  }

  @Test
  void theReportNamesEachProblemAndNothingFalse() throws Exception {
    SimulatedGuest web = GUESTS.guest(0);
    SimulatedGuest shelf = GUESTS.guest(1);
    SimulatedGuest bare = GUESTS.guest(2);
    Guest webGuest = guest("lxc/101", 101, "nginx-gateway", web);
    Guest shelfGuest = guest("lxc/102", 102, "traefik-internal", shelf);
    Guest bareGuest = guest("vm/1002", 1002, "portainer-agent", bare);
    estate.put(webGuest).put(shelfGuest).put(bareGuest);

    // the managed certificate, issued and deployed by its own running workflow; nginx serves it
    GuestNginx nginx = new GuestNginx(web, "web", "web.internal.test");
    CertificateSpec spec = new CertificateSpec("web", webGuest.target(), StepCaIssuer.TYPE, "web.internal.test",
        List.of("web.internal.test"), KeyAlgorithm.ECDSA_P256, List.of(), Duration.ofHours(24), 0,
        null, new CertificateFiles(GuestNginx.certPath("web"), GuestNginx.keyPath("web"), null, null, null, null),
        new StepSpec("command", nginx.testArgv(), Map.of()), new StepSpec("command", nginx.reloadArgv(), Map.of()),
        new StepSpec("tls", List.of(), Map.of("endpoint", nginx.endpoint(), "serverName", "web.internal.test")),
        List.of());
    estate.put(spec);
    Authority authority = new Authority(() -> estate);
    TrustActivitiesImpl trust = new TrustActivitiesImpl(authority, plugins);
    AuditArchive archive = new AuditArchive(dir.resolve("audit"));
    Worker worker = env.newWorker(CertificateWorkflow.TASK_QUEUE);
    worker.registerWorkflowImplementationTypes(AuditWorkflowImpl.class, GuestOnboardingWorkflowImpl.class);
    CertificateWorkers.register(worker, env.getWorkflowClient(), authority,
        new CertificateActivitiesImpl(authority, plugins), trust,
        new AuditActivitiesImpl(authority, plugins, WorkflowProbe.of(env.getWorkflowClient()), archive, null,
            Clock.systemUTC(), GuestOnboarding.of(env.getWorkflowClient(), CertificateWorkflow.TASK_QUEUE)));
    env.start();
    WorkflowClient client = env.getWorkflowClient();
    WorkflowClient.start(client.newWorkflowStub(CertificateWorkflow.class, WorkflowOptions.newBuilder()
        .setWorkflowId(spec.workflowId()).setTaskQueue(CertificateWorkflow.TASK_QUEUE).build())::run,
        CertificateRun.first("web"));
    CertificateWorkflow certificate = client.newWorkflowStub(CertificateWorkflow.class, spec.workflowId());
    Polling.await(certificate::status, s -> s != null && s.lastOutcome() == CertificateStatus.Outcome.ISSUED,
        Duration.ofSeconds(60), Duration.ofMillis(300));

    // two guests trust the root; the third does not
    trust.installRootCa("101", new TrustTarget(TrustTarget.SYSTEM, null));
    trust.installRootCa("102", new TrustTarget(TrustTarget.SYSTEM, null));

    // on the shelf guest: Traefik's acme.json with two certificates from step-ca (resolver "stepca"), nginx with a
    // self-signed certificate, an expired file and one expiring in a day that nobody renews
    Transport shelfTransport = plugins.transport("ssh").open(shelfGuest.target());
    List<Path> keyFiles = new ArrayList<>(List.of(web.hostPath(GuestNginx.keyPath("web"))));
    String acme = acmeJson(dir, keyFiles, "traefik.internal.test", "qdrant.internal.test");
    shelfTransport.write("/etc/traefik/ssl/acme.json", acme.getBytes(StandardCharsets.UTF_8),
        FileAttributes.mode("0600"));
    GuestNginx selfSigned = new GuestNginx(shelf, "selfsigned", "self.internal.test");
    SelfSignedCertificates.Pair own = SelfSignedCertificates.make("self.internal.test",
        Instant.now().minus(Duration.ofDays(1)), Instant.now().plus(Duration.ofDays(300)));
    shelfTransport.write(GuestNginx.certPath("selfsigned"), own.certPem().getBytes(StandardCharsets.US_ASCII),
        FileAttributes.mode("0644"));
    shelfTransport.write(GuestNginx.keyPath("selfsigned"), own.keyPem().getBytes(StandardCharsets.US_ASCII),
        FileAttributes.mode("0600"));
    keyFiles.add(shelf.hostPath(GuestNginx.keyPath("selfsigned")));
    assertTrue(shelfTransport.exec(selfSigned.reloadArgv(), Duration.ofSeconds(20)).succeeded());
    nginxes.add(shelfTransport);
    SelfSignedCertificates.Pair old = SelfSignedCertificates.make("old.internal.test",
        Instant.now().minus(Duration.ofDays(400)), Instant.now().minus(Duration.ofDays(35)));
    shelfTransport.write("/etc/nginx/ssl/old/old.crt", old.certPem().getBytes(StandardCharsets.US_ASCII),
        FileAttributes.mode("0644"));
    IssuedCertificate soon = issue("soon.internal.test", dir.resolve("soon.key"), keyFiles);
    shelfTransport.write("/etc/nginx/ssl/soon.pem", Pem.encodeChain(soon.chain()).getBytes(StandardCharsets.US_ASCII),
        FileAttributes.mode("0644"));

    String selfAddress = selfSigned.endpoint();
    estate.audit(new AuditSpec(null, 2, null, List.of(
        Settings.of(new AcmeJsonSource(), Map.of("guest", "traefik-internal", "path", "/etc/traefik/ssl/acme.json")),
        Settings.of(new FilesSource(), Map.of("guest", "traefik-internal", "path", "/etc/nginx/ssl")),
        Settings.of(new EndpointSource(), Map.of("address", selfAddress, "serverName", "self.internal.test")),
        Settings.of(new EndpointSource(), Map.of("address", nginx.endpoint(), "serverName", "web.internal.test")))));

    AuditReport report = audit(client);

    String g2 = "lxc/102";
    Set<String> expected = new TreeSet<>(List.of(
        "critical root-missing vm/1002 system",
        "critical untrusted-chain " + selfAddress + " self.internal.test",
        "critical expired " + g2 + " /etc/nginx/ssl/old/old.crt",
        "warning untrusted-chain " + g2 + " /etc/nginx/ssl/old/old.crt",
        "info unmanaged " + g2 + " /etc/nginx/ssl/old/old.crt",
        "warning untrusted-chain " + g2 + " /etc/nginx/ssl/selfsigned.crt",
        "info unmanaged " + g2 + " /etc/nginx/ssl/selfsigned.crt",
        "warning renewal-due " + g2 + " /etc/nginx/ssl/soon.pem",
        "info unmanaged " + g2 + " /etc/nginx/ssl/soon.pem"));
    assertEquals(expected, keys(report.findings()), JsonReport.render(report));

    // the healthy parts were measured, not skipped
    CertificateFact managed = only(report, CertificateKind.MANAGED, "web");
    assertEquals(ChainStatus.PINNED_ROOT, managed.chain());
    assertEquals(Boolean.TRUE, managed.keyMatches());
    assertEquals(Boolean.TRUE, managed.renewing());
    assertEquals(managed.serial(), managed.servedSerial());
    assertEquals(certificate.status().serial(), managed.serial());
    List<CertificateFact> acmeFacts = report.facts().certificates().stream()
        .filter(c -> c.kind() == CertificateKind.ACME).toList();
    assertEquals(Set.of("traefik.internal.test", "qdrant.internal.test"),
        acmeFacts.stream().map(CertificateFact::name).collect(Collectors.toSet()));
    acmeFacts.forEach(c -> {
      assertEquals("traefik resolver stepca", c.managedBy());
      assertEquals(ChainStatus.PINNED_ROOT, c.chain());
      assertEquals(Boolean.TRUE, c.keyMatches());
    });
    assertEquals(ChainStatus.SELF_SIGNED, only(report, CertificateKind.ENDPOINT, "self.internal.test").chain());
    assertTrue(report.facts().checks().stream().allMatch(c -> c.ok()), report.facts().checks().toString());
    assertTrue(report.facts().certificates().stream().anyMatch(c -> c.kind() == CertificateKind.INTERMEDIATE));
    assertTrue(report.facts().certificates().stream().anyMatch(c -> c.kind() == CertificateKind.CA_TLS));
    assertTrue(report.diff().firstAudit());

    String markdown = MarkdownReport.render(report);
    int at = -1;
    for (String heading : MarkdownReport.SECTIONS) {
      int next = markdown.indexOf("\n" + heading + "\n");
      assertTrue(next > at, heading + " in order in\n" + markdown);
      at = next;
    }
    assertTrue(markdown.contains("```mermaid\ngraph TD"), markdown);
    assertTrue(Files.readString(archive.dir().resolve("latest.md")).startsWith("# SSL Certificate Audit Report"));

    // the HTML page as a real browser builds it: every certificate row and every finding, and a screenshot
    Path page = dir.resolve("audit.html");
    Files.writeString(page, HtmlReport.render(report));
    String dom = HeadlessChromium.dumpDom(page, dir);
    assertEquals(report.facts().certificates().size(), count(dom, "<tr class=\"certificate\""), dom);
    for (CertificateFact c : report.facts().certificates()) {
      assertTrue(dom.contains("data-name=\"" + c.name() + "\""), c.name());
    }
    assertEquals(report.findings().size(), count(dom, "<tr class=\"finding "), dom);
    for (Finding f : report.findings()) {
      assertTrue(dom.contains("data-code=\"" + f.code() + "\" data-component=\"" + f.component()
          + "\" data-subject=\"" + f.subject() + "\""), f.toString());
    }
    assertTrue(dom.contains("<svg id=\"timeline\"") && dom.contains("id=\"today\""), "the timeline is drawn");
    Path png = dir.resolve("audit.png");
    HeadlessChromium.screenshot(page, png, dir);
    byte[] image = Files.readAllBytes(png);
    assertTrue(image.length > 10_000 && image[1] == 'P' && image[2] == 'N' && image[3] == 'G', "a PNG screenshot");

    // the audit onboarded the guest without the root (no hookscript call): the next audit says it is fixed
    GuestOnboardingWorkflow onboarding = client.newWorkflowStub(GuestOnboardingWorkflow.class, "guest/1002");
    WorkflowStub.fromTyped(onboarding).getResult(90, java.util.concurrent.TimeUnit.SECONDS,
        ai.thinkheads.phoenix.certs.workflows.guest.GuestOnboardingStatus.class);
    AuditReport second = audit(client);
    assertFalse(second.diff().firstAudit());
    assertEquals(List.of("critical root-missing vm/1002 system"), second.diff().fixed().stream()
        .map(EstateAuditTest::key).toList());
    assertEquals(List.of(), second.diff().added());

    // no private key (the managed pair's, acme.json's, the self-signed one's) ever reached Temporal
    List<String> secrets = new ArrayList<>();
    for (Path key : keyFiles) {
      secrets.addAll(HistoryScan.fingerprintsOf(key));
    }
    List<String> stored = new ArrayList<>(recorder.payloads());
    stored.add(client.fetchHistory(AuditRequest.WORKFLOW_ID).toJson(false));
    assertTrue(stored.stream().anyMatch(p -> p.contains("qdrant.internal.test")), "the scan sees the audit's facts");
    assertEquals(List.of(), HistoryScan.hits(stored, secrets));
    shelfTransport.exec(List.of("sh", "-c", "kill $(cat " + selfSigned.config().getParent() + "/nginx.pid)"),
        Duration.ofSeconds(5));
    Transport webTransport = plugins.transport("ssh").open(webGuest.target());
    webTransport.exec(List.of("sh", "-c", "kill $(cat " + nginx.config().getParent() + "/nginx.pid)"),
        Duration.ofSeconds(5));
  }

  private AuditReport audit(WorkflowClient client) {
    AuditWorkflow audit = client.newWorkflowStub(AuditWorkflow.class, WorkflowOptions.newBuilder()
        .setWorkflowId(AuditRequest.WORKFLOW_ID).setTaskQueue(CertificateWorkflow.TASK_QUEUE).build());
    return audit.run(AuditRequest.of("test"));
  }

  private Guest guest(String id, int vmid, String name, SimulatedGuest sim) {
    return new Guest(id, vmid, name, id.substring(0, id.indexOf('/')), new TargetSpec("ssh", id,
        sim.sshOptions(GUESTS.keys().ed25519())), List.of("system"));
  }

  /** A Traefik v2 acme.json (resolver "stepca") holding certificates step-ca issued, keys and all. */
  private String acmeJson(Path dir, List<Path> keyFiles, String... names) throws Exception {
    StringBuilder certs = new StringBuilder();
    for (String name : names) {
      Path keyFile = dir.resolve(name + ".key");
      IssuedCertificate issued = issue(name, keyFile, keyFiles);
      if (certs.length() > 0) {
        certs.append(',');
      }
      certs.append("{\"domain\":{\"main\":\"").append(name).append("\"},\"certificate\":\"")
          .append(b64(Pem.encodeChain(issued.chain()))).append("\",\"key\":\"").append(b64(Files.readString(keyFile)))
          .append("\",\"Store\":\"default\"}");
    }
    KeyPair account = KeyPairs.generate(KeyAlgorithm.ECDSA_P256);
    Path accountKey = dir.resolve("account.key");
    Files.writeString(accountKey, Pem.encode(account.getPrivate()));
    keyFiles.add(accountKey);
    return "{\"stepca\":{\"Account\":{\"Email\":\"\",\"Registration\":{\"uri\":\"" + ca.acmeDirectory()
        + "\"},\"PrivateKey\":\"" + Base64.getEncoder().encodeToString(account.getPrivate().getEncoded())
        + "\",\"KeyType\":\"4096\"},\"Certificates\":[" + certs + "]}}";
  }

  private IssuedCertificate issue(String name, Path keyFile, List<Path> keyFiles) throws Exception {
    KeyPair keys = KeyPairs.generate(KeyAlgorithm.ECDSA_P256);
    Files.writeString(keyFile, Pem.encode(keys.getPrivate()));
    keyFiles.add(keyFile);
    return estate.issuer().issue(new IssueRequest(name, Csrs.create(keys, name, List.of(name)), name, List.of(name),
        List.of(), Duration.ofHours(24)));
  }

  private static String b64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.US_ASCII));
  }

  private static CertificateFact only(AuditReport report, CertificateKind kind, String name) {
    List<CertificateFact> found = report.facts().certificates().stream()
        .filter(c -> c.kind() == kind && c.name().equals(name)).toList();
    assertEquals(1, found.size(), kind + " " + name + " in " + report.facts().certificates());
    return found.get(0);
  }

  private static int count(String text, String what) {
    int n = 0;
    for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
      n++;
    }
    return n;
  }

  private static Set<String> keys(List<Finding> findings) {
    return findings.stream().map(EstateAuditTest::key).collect(Collectors.toCollection(TreeSet::new));
  }

  private static String key(Finding f) {
    return f.severity().label() + " " + f.code() + " " + f.component() + " " + f.subject();
  }
}
