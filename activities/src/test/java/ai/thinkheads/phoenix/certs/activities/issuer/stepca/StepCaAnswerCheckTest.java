package ai.thinkheads.phoenix.certs.activities.issuer.stepca;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.thinkheads.phoenix.certs.activities.crypto.KeyPairs;
import ai.thinkheads.phoenix.certs.activities.crypto.Pem;
import ai.thinkheads.phoenix.certs.activities.issuer.IssuedCertificate;
import ai.thinkheads.phoenix.certs.activities.issuer.IssuerRejectedException;
import ai.thinkheads.phoenix.certs.activities.issuer.LocalCaIssuer;
import ai.thinkheads.phoenix.certs.activities.testing.stepca.StepCaExtension;
import ai.thinkheads.phoenix.certs.activities.testing.stepca.StepCaServer;
import ai.thinkheads.phoenix.certs.workflows.model.KeyAlgorithm;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The checks every answer passes, fed real chains: the step-ca's, and a foreign CA's (LocalCa). */
@ExtendWith(StepCaExtension.class)
class StepCaAnswerCheckTest {

  private static StepCaServer ca;
  private static StepCaIssuer issuer;

  @BeforeAll
  static void connect(StepCaServer server) {
    ca = server;
    issuer = new StepCaIssuer(server.config());
  }

  @Test
  void acceptsTheCasOwnChainAgainAndAgain() {
    Requests r = Requests.of(KeyAlgorithm.ECDSA_P256, null, "ok.internal.test");
    List<String> pems = pems(issuer.issue(r.request()));
    AnswerCheck check = new AnswerCheck(ca.root());
    for (int i = 0; i < 2; i++) { // the second time through the remembered intermediate
      IssuedCertificate accepted = check.accept(pems, r.keys().getPublic(), r.request().sans(), Instant.now(), "t");
      assertEquals(2, accepted.chain().size());
    }
  }

  @Test
  void refusesALeafFromAnotherCa(@TempDir Path dir) {
    Requests r = Requests.of(KeyAlgorithm.ECDSA_P256, null, "evil.internal.test");
    List<String> foreign = pems(new LocalCaIssuer(dir, "foreign").issue(r.request()));
    IssuerRejectedException e = assertThrows(IssuerRejectedException.class, () -> new AnswerCheck(ca.root())
        .accept(foreign, r.keys().getPublic(), r.request().sans(), Instant.now(), "t"));
    assertTrue(e.getMessage().contains("does not chain to the pinned root " + ca.fingerprint()), e.getMessage());
  }

  @Test
  void refusesAForeignLeafBehindTheCasRememberedIntermediate(@TempDir Path dir) {
    AnswerCheck check = new AnswerCheck(ca.root());
    Requests good = Requests.of(KeyAlgorithm.ECDSA_P256, null, "good.internal.test");
    List<String> real = pems(issuer.issue(good.request()));
    check.accept(real, good.keys().getPublic(), good.request().sans(), Instant.now(), "t"); // now remembered

    Requests r = Requests.of(KeyAlgorithm.ECDSA_P256, null, "evil.internal.test");
    String foreignLeaf = pems(new LocalCaIssuer(dir, "foreign").issue(r.request())).get(0);
    List<String> spliced = List.of(foreignLeaf, real.get(1));
    assertThrows(IssuerRejectedException.class,
        () -> check.accept(spliced, r.keys().getPublic(), r.request().sans(), Instant.now(), "t"));
  }

  @Test
  void refusesAnotherKeyOrOtherNames() {
    Requests r = Requests.of(KeyAlgorithm.ECDSA_P256, null, "names.internal.test");
    List<String> pems = pems(issuer.issue(r.request()));
    AnswerCheck check = new AnswerCheck(ca.root());
    var otherKey = KeyPairs.generate(KeyAlgorithm.ECDSA_P256).getPublic();
    IssuerRejectedException key = assertThrows(IssuerRejectedException.class,
        () -> check.accept(pems, otherKey, r.request().sans(), Instant.now(), "t"));
    assertTrue(key.getMessage().contains("another public key"), key.getMessage());
    IssuerRejectedException names = assertThrows(IssuerRejectedException.class,
        () -> check.accept(pems, r.keys().getPublic(), List.of("names.internal.test", "extra.internal.test"),
            Instant.now(), "t"));
    assertTrue(names.getMessage().contains("names SANs"), names.getMessage());
  }

  @Test
  void refusesToRenewACertificateFromAnotherCaWithoutAskingTheCa(@TempDir Path dir) {
    Requests r = Requests.of(KeyAlgorithm.ECDSA_P256, null, "foreign.internal.test");
    IssuedCertificate foreign = new LocalCaIssuer(dir, "foreign").issue(r.request());
    RenewalRefusedException e = assertThrows(RenewalRefusedException.class, () -> issuer.renew(r.held(foreign)));
    assertTrue(e.getMessage().contains("does not chain to the root of step-ca"), e.getMessage());
  }

  private static List<String> pems(IssuedCertificate issued) {
    return issued.chain().stream().map(c -> Pem.encode((X509Certificate) c)).toList();
  }
}
