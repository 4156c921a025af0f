package ai.thinkheads.phoenix.certs.activities.issuer.stepca;

import ai.thinkheads.phoenix.certs.workflows.failure.FailureType;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.thinkheads.phoenix.certs.activities.crypto.CertificateFacts;
import ai.thinkheads.phoenix.certs.activities.crypto.Pem;
import ai.thinkheads.phoenix.certs.activities.issuer.IssuedCertificate;
import ai.thinkheads.phoenix.certs.activities.steps.StepFailedException;
import ai.thinkheads.phoenix.certs.activities.testing.stepca.StepCaExtension;
import ai.thinkheads.phoenix.certs.activities.testing.stepca.StepCaServer;
import ai.thinkheads.phoenix.certs.workflows.model.KeyAlgorithm;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Configuration from the inventory's fields and from what `step ca bootstrap` left in $STEPPATH. */
@ExtendWith(StepCaExtension.class)
class StepCaConfigTest {

  @Test
  void acceptsFingerprintsAsPeoplePasteThem() {
    String hex = "c18520f1" + "0".repeat(56);
    String pasted = hex.toUpperCase(Locale.ROOT).replaceAll("(..)(?!$)", "$1:");
    StepCaConfig config = new StepCaConfig(URI.create("https://ca.internal:9000/"), pasted, "admin",
        Path.of("/etc/pw"));
    assertEquals(hex, config.fingerprint());
    assertEquals("https://ca.internal:9000/1.0/sign", config.endpoint("/1.0/sign").toString());
  }

  @Test
  void saysWhatIsWrongWithABadConfig() {
    var shortPin = assertThrows(IllegalArgumentException.class, () -> new StepCaConfig(
        URI.create("https://ca:9000"), "c18520f1", "admin", Path.of("/pw")));
    assertTrue(shortPin.getMessage().contains("64 hex digits"), shortPin.getMessage());
    var plainHttp = assertThrows(IllegalArgumentException.class, () -> new StepCaConfig(
        URI.create("http://ca:9000"), "0".repeat(64), "admin", Path.of("/pw")));
    assertTrue(plainHttp.getMessage().contains("https://"), plainHttp.getMessage());
  }

  @Test
  void readsWhatStepCaBootstrapWrote(StepCaServer ca, @TempDir Path stepPath) throws Exception {
    Files.createDirectories(stepPath.resolve("config"));
    Files.createDirectories(stepPath.resolve("certs"));
    Files.writeString(stepPath.resolve("certs/root_ca.crt"), Pem.encode(ca.root()));
    Files.writeString(stepPath.resolve("config/defaults.json"), """
        {"ca-url": "%s", "fingerprint": "%s", "root": "%s"}
        """.formatted(ca.url(), ca.fingerprint(), stepPath.resolve("certs/root_ca.crt")));

    StepCaConfig config = StepCaConfig.fromStepPath(stepPath, ca.provisioner(), ca.passwordFile());
    assertEquals(ca.url(), config.url());
    assertEquals(stepPath.resolve("certs/root_ca.crt"), config.rootFile());

    StepCaIssuer issuer = new StepCaIssuer(config);
    IssuedCertificate issued = issuer.issue(Requests.of(KeyAlgorithm.ECDSA_P256, null, "boot.internal.test")
        .request());
    assertEquals(ca.root(), issued.root());
  }

  @Test
  void refusesALocalRootThatIsNotThePinnedOne(StepCaServer ca, @TempDir Path stepPath) throws Exception {
    Path other = stepPath.resolve("other_root.crt");
    Files.writeString(other, Pem.encode(ai.thinkheads.phoenix.certs.activities.issuer.LocalCa
        .openOrCreate(stepPath.resolve("other-ca"), "other").root()));
    StepCaIssuer issuer = new StepCaIssuer(new StepCaConfig(ca.url(), ca.fingerprint(), ca.provisioner(),
        ca.passwordFile(), other));
    StepFailedException e = assertThrows(StepFailedException.class, issuer::root);
    assertEquals(FailureType.ISSUER_UNTRUSTED, e.type());
    assertTrue(e.getMessage().contains(ca.fingerprint()), e.getMessage());
    assertTrue(e.getMessage().contains(CertificateFacts.fingerprint(Pem.certificates(Files.readString(other))
        .get(0))), e.getMessage());
  }
}
