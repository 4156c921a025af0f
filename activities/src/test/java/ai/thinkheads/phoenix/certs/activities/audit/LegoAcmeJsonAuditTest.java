package ai.thinkheads.phoenix.certs.activities.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.thinkheads.phoenix.certs.activities.crypto.Pem;
import ai.thinkheads.phoenix.certs.activities.estate.Guest;
import ai.thinkheads.phoenix.certs.activities.issuer.stepca.StepCaIssuer;
import ai.thinkheads.phoenix.certs.activities.plugin.BuiltInPlugins;
import ai.thinkheads.phoenix.certs.activities.plugin.PluginRegistry;
import ai.thinkheads.phoenix.certs.activities.plugin.Settings;
import ai.thinkheads.phoenix.certs.activities.testing.TestEstate;
import ai.thinkheads.phoenix.certs.activities.testing.acme.AcmeTestbed;
import ai.thinkheads.phoenix.certs.activities.testing.guest.SimulatedGuest;
import ai.thinkheads.phoenix.certs.activities.testing.guest.SimulatedGuests;
import ai.thinkheads.phoenix.certs.activities.testing.stepca.StepCaServer;
import ai.thinkheads.phoenix.certs.activities.transport.FileAttributes;
import ai.thinkheads.phoenix.certs.activities.transport.ssh.SshConnectionPool;
import ai.thinkheads.phoenix.certs.workflows.audit.AuditFacts;
import ai.thinkheads.phoenix.certs.workflows.audit.CertificateFact;
import ai.thinkheads.phoenix.certs.workflows.audit.ChainStatus;
import ai.thinkheads.phoenix.certs.workflows.audit.Findings;
import ai.thinkheads.phoenix.certs.workflows.model.TargetSpec;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Traefik's acme.json as Traefik's own ACME client makes it: Debian's lego obtains two certificates from a real
 * step-ca's ACME provisioner (http-01, lego answering on port 80 of the address the CA resolves the names to), the
 * test writes them in Traefik's v2 layout into an sshd guest, and the audit's acme-json source reads them there:
 * each certificate's domains, issuer, expiry, resolver, chain to the pinned root and key match, and no key in
 * what leaves the source.
 */
@ExtendWith(AcmeTestbed.class)
class LegoAcmeJsonAuditTest {

  static final List<String> NAMES = List.of("traefik.internal.test", "qdrant.internal.test");
  static final String PATH = "/etc/traefik/ssl/acme.json"; // a folder private to the guest

  @RegisterExtension
  static final SimulatedGuests GUESTS = SimulatedGuests.count(1);

  @TempDir
  Path dir;

  @Test
  void certificatesLegoObtainedOverAcmeAreReadFromTraefiksAcmeJson(AcmeTestbed testbed) throws Exception {
    StepCaServer ca = testbed.stepCa();
    Path legoDir = Files.createDirectories(dir.resolve("lego"));
    for (String name : NAMES) {
      lego(ca, testbed.webAddress(), legoDir, name);
    }
    String acmeJson = traefikAcmeJson(ca, legoDir);

    try (SshConnectionPool pool = new SshConnectionPool()) {
      PluginRegistry plugins = BuiltInPlugins.registry(pool);
      SimulatedGuest sim = GUESTS.guest(0);
      Guest guest = new Guest("lxc/102", 102, "traefik-internal", "lxc", new TargetSpec("ssh", "lxc/102",
          sim.sshOptions(GUESTS.keys().ed25519())), List.of("system"));
      TestEstate estate = new TestEstate(new StepCaIssuer(ca.config())).put(guest);
      AuditScope scope = new AuditScope(estate, guest, plugins, null, Instant.now());
      scope.transport().write(PATH, acmeJson.getBytes(StandardCharsets.UTF_8), FileAttributes.mode("0600"));

      FactSink sink = new FactSink();
      new AcmeJsonSource().gather(Settings.of(new AcmeJsonSource(), Map.of("guest", "traefik-internal",
          "path", PATH)), scope, sink);
      List<CertificateFact> facts = sink.certificates();

      assertEquals(NAMES, facts.stream().map(CertificateFact::name).toList(), "one fact per certificate, by domain");
      for (CertificateFact fact : facts) {
        X509Certificate obtained = Pem.certificates(Files.readString(legoDir.resolve("certificates")
            .resolve(fact.name() + ".crt"))).get(0);
        assertEquals(obtained.getNotAfter().toInstant(), fact.notAfter(), fact.name());
        assertEquals(obtained.getSerialNumber().toString(16), fact.serial().toLowerCase().replaceFirst("^0+", ""),
            fact.name());
        assertEquals(List.of(fact.name()), fact.sans());
        assertEquals(ChainStatus.PINNED_ROOT, fact.chain(), fact.name() + ": " + fact.chainDetail());
        assertEquals(Boolean.TRUE, fact.keyMatches(), fact.name());
        assertEquals("traefik resolver stepca", fact.managedBy());
        assertEquals(PATH + " resolver stepca", fact.location());
        assertTrue(fact.issuer().contains("Intermediate"), fact.issuer());
      }
      // healthy, freshly issued and chaining to the pin: nothing to report
      assertEquals(List.of(), Findings.of(new AuditFacts("lxc/102", facts, List.of(), List.of(), List.of()),
          ca.fingerprint(), Instant.now(), Duration.ofDays(30)));

      // what leaves the source holds no key, though the file holds three (account and both certificates')
      ObjectMapper json = new ObjectMapper().registerModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
      String out = json.writeValueAsString(facts);
      assertFalse(out.contains("PRIVATE KEY") || out.contains(b64Key(legoDir, NAMES.get(0))), out);
      assertTrue(acmeJson.contains(b64Key(legoDir, NAMES.get(0))), "the file itself holds the key");
      scope.transport().exec(List.of("rm", "-f", PATH), Duration.ofSeconds(10)); // the guests serve the whole run
    }
  }

  /** lego's own account and certificate for {@code name}, http-01 answered by lego itself on port 80. */
  private static void lego(StepCaServer ca, String address, Path legoDir, String name) throws Exception {
    Path root = legoDir.resolve("root.pem");
    Files.writeString(root, Pem.encode(ca.root()));
    Path log = legoDir.resolve(name + ".log");
    ProcessBuilder builder = new ProcessBuilder("lego", "--server", ca.acmeDirectory().toString(), "--accept-tos",
        "--email", "ops@internal.test", "--domains", name, "--key-type", "ec256", "--http", "--http.port",
        address + ":80", "--path", legoDir.toString(), "run")
        .redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().put("LEGO_CA_CERTIFICATES", root.toString());
    Process lego = builder.start();
    try {
      boolean ended = lego.waitFor(120, TimeUnit.SECONDS);
      if (!ended || lego.exitValue() != 0) {
        throw new AssertionError("lego for " + name + (ended ? " exited " + lego.exitValue() : " timed out")
            + ":\n" + Files.readString(log) + "\nstep-ca:\n" + ca.logTail());
      }
    } finally {
      lego.destroyForcibly();
    }
  }

  /** Traefik v2's acme.json for resolver "stepca": lego's account key and its certificates, keys and all. */
  private static String traefikAcmeJson(StepCaServer ca, Path legoDir) throws Exception {
    List<String> certificates = new ArrayList<>();
    for (String name : NAMES) {
      String chain = Files.readString(legoDir.resolve("certificates").resolve(name + ".crt"));
      certificates.add("{\"domain\":{\"main\":\"" + name + "\"},\"certificate\":\"" + b64(chain)
          + "\",\"key\":\"" + b64Key(legoDir, name) + "\",\"Store\":\"default\"}");
    }
    Path accountKey;
    try (var found = Files.find(legoDir.resolve("accounts"), 6, (p, a) -> p.toString().endsWith(".key"))) {
      accountKey = found.findFirst().orElseThrow(() -> new AssertionError("lego made no account key"));
    }
    return "{\"stepca\":{\"Account\":{\"Email\":\"ops@internal.test\",\"Registration\":{\"uri\":\""
        + ca.acmeDirectory() + "\"},\"PrivateKey\":\"" + b64(Files.readString(accountKey))
        + "\",\"KeyType\":\"EC256\"},\"Certificates\":[" + String.join(",", certificates) + "]}}";
  }

  private static String b64Key(Path legoDir, String name) throws Exception {
    return b64(Files.readString(legoDir.resolve("certificates").resolve(name + ".key")));
  }

  private static String b64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.US_ASCII));
  }
}
