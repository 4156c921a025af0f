package ai.thinkheads.phoenix.certs.activities.certificate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.thinkheads.phoenix.certs.activities.testing.LocalStack;
import ai.thinkheads.phoenix.certs.activities.testing.SpecSteps;
import ai.thinkheads.phoenix.certs.workflows.certificate.ActivationResult;
import ai.thinkheads.phoenix.certs.workflows.certificate.StagedCertificate;
import ai.thinkheads.phoenix.certs.workflows.certificate.TargetState;
import ai.thinkheads.phoenix.certs.workflows.model.CertificateSpec;
import ai.thinkheads.phoenix.certs.workflows.model.StepSpec;
import io.temporal.failure.ApplicationFailure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CertificateActivitiesImplTest {

  @TempDir
  Path dir;

  SpecSteps activities;
  CertificateSpec spec;

  @BeforeEach
  void setUp() {
    activities = LocalStack.steps(LocalStack.issuer(dir, Clock.systemUTC()));
    spec = LocalStack.spec(dir, "web", Duration.ofHours(1));
  }

  @Test
  void inspectReportsAMissingPair() {
    TargetState state = activities.inspect(spec);
    assertFalse(state.usable());
    assertTrue(state.problem().startsWith("no certificate at " + spec.files().cert()), state.problem());
  }

  @Test
  void issueStageActivateThenInspectSeesTheNewSerial() {
    StagedCertificate staged = activities.issueAndStage(spec);
    assertTrue(Files.exists(Path.of(staged.stagedKey())));
    assertFalse(staged.certificatePem().contains("PRIVATE KEY"));

    ActivationResult result = activities.activate(spec, staged);
    assertNull(result.previousSerial());
    TargetState state = activities.inspect(spec);
    assertTrue(state.usable(), String.valueOf(state.problem()));
    assertEquals(staged.serial(), state.serial());
    assertEquals(List.of("web.test", "127.0.0.1"), state.sans());
    assertFalse(Files.exists(Path.of(staged.stagedCert())));
  }

  @Test
  void activateIsIdempotentAfterACrashBetweenTheTwoRenames() throws Exception {
    StagedCertificate first = activities.issueAndStage(spec);
    activities.activate(spec, first);
    StagedCertificate second = activities.issueAndStage(spec);
    // the crash: key already swapped, certificate not yet, rollback point already taken
    Files.copy(Path.of(spec.files().key()), Path.of(spec.files().key() + ".previous"),
        StandardCopyOption.REPLACE_EXISTING);
    Files.copy(Path.of(spec.files().cert()), Path.of(spec.files().cert() + ".previous"),
        StandardCopyOption.REPLACE_EXISTING);
    Files.move(Path.of(second.stagedKey()), Path.of(spec.files().key()), StandardCopyOption.REPLACE_EXISTING);
    assertFalse(activities.inspect(spec).usable(), "mid-swap the pair does not match");

    ActivationResult retried = activities.activate(spec, second);
    assertEquals(first.serial(), retried.previousSerial());
    assertEquals(second.serial(), activities.inspect(spec).serial());
    assertTrue(activities.inspect(spec).usable());
    ActivationResult again = activities.activate(spec, second);
    assertEquals(second.serial(), again.activeSerial(), "a third call finds the work done");
  }

  @Test
  void inspectSeesAKeyThatDoesNotMatch() throws Exception {
    activities.activate(spec, activities.issueAndStage(spec));
    CertificateSpec other = LocalStack.spec(dir, "other", Duration.ofHours(1));
    activities.activate(other, activities.issueAndStage(other));
    Files.copy(Path.of(other.files().key()), Path.of(spec.files().key()), StandardCopyOption.REPLACE_EXISTING);

    TargetState state = activities.inspect(spec);
    assertFalse(state.usable());
    assertTrue(state.problem().contains("does not match"), state.problem());
  }

  @Test
  void rollbackRestoresThePreviousPairAndVerifySeesIt() {
    StagedCertificate first = activities.issueAndStage(spec);
    activities.activate(spec, first);
    activities.activate(spec, activities.issueAndStage(spec));

    assertEquals(first.serial(), activities.rollback(spec));
    assertEquals(first.serial(), activities.inspect(spec).serial());
    assertTrue(activities.inspect(spec).usable());
    activities.verify(spec, first.serial());
  }

  /** .bak is always the last good pair other than the live one: a rollback does not overwrite it. */
  @Test
  void theBackupIsTheLastGoodPairUnlikeTheLiveOneAfterASettleAndAfterARollback() {
    StagedCertificate first = activities.issueAndStage(spec);
    activities.activate(spec, first);
    StagedCertificate second = activities.issueAndStage(spec);
    activities.activate(spec, second);
    activities.activities().settle(activities.estate().put(spec));
    assertEquals(first.serial(), serialAt(spec.files().cert() + ".bak"), "settled: the replaced pair is the backup");
    assertFalse(Files.exists(Path.of(spec.files().cert() + ".previous")));

    StagedCertificate third = activities.issueAndStage(spec);
    activities.activate(spec, third);
    assertEquals(second.serial(), activities.rollback(spec), "the rollback restores the pair it replaced");
    assertEquals(second.serial(), activities.inspect(spec).serial());
    assertTrue(activities.inspect(spec).usable());
    assertEquals(first.serial(), serialAt(spec.files().cert() + ".bak"), "the backup still differs from the live one");
    assertEquals(second.serial(), activities.rollback(spec), "a retried rollback finds the same");
  }

  @Test
  void discardRemovesAStagedPairAndIsIdempotent() {
    activities.issueAndStage(spec);
    var ref = activities.estate().put(spec);
    activities.activities().discardStaged(ref);
    activities.activities().discardStaged(ref);
    assertFalse(Files.exists(Path.of(spec.files().key() + ".staged")));
    assertFalse(Files.exists(Path.of(spec.files().cert() + ".staged")));
  }

  private static String serialAt(String certPath) {
    try {
      return ai.thinkheads.phoenix.certs.activities.crypto.CertificateFacts.serialOf(
          ai.thinkheads.phoenix.certs.activities.crypto.Pem.certificates(Files.readString(Path.of(certPath))).get(0));
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void verifyOfTheWrongSerialIsANonRetryableFailure() {
    activities.activate(spec, activities.issueAndStage(spec));
    ApplicationFailure failure = assertThrows(ApplicationFailure.class, () -> activities.verify(spec, "abc"));
    assertEquals("VerificationFailed", failure.getType());
    assertTrue(failure.isNonRetryable());
  }

  @Test
  void aFailingReloadCommandIsANonRetryableCommandFailure() {
    CertificateSpec failing = withReload(spec, List.of("sh", "-c", "echo nginx: bad config >&2; exit 1"));
    ApplicationFailure failure = assertThrows(ApplicationFailure.class, () -> activities.reload(failing));
    assertEquals("CommandFailed", failure.getType());
    assertTrue(failure.getOriginalMessage().contains("exited 1: nginx: bad config"), failure.getOriginalMessage());
  }

  @Test
  void anUnknownStepTypeIsNamedWithTheKnownOnes() {
    CertificateSpec unknown = withReload(spec, new StepSpec("vault", List.of(), Map.of()));
    ApplicationFailure failure = assertThrows(ApplicationFailure.class, () -> activities.reload(unknown));
    assertEquals("UnknownStepType", failure.getType());
    assertTrue(failure.getOriginalMessage().contains("unknown reload type 'vault'; known: [command]"),
        failure.getOriginalMessage());
  }

  @Test
  void aNameTheInventoryDoesNotHoldIsRefusedBeforeAnythingIsTouched() {
    ApplicationFailure failure = assertThrows(ApplicationFailure.class,
        () -> activities.activities().inspect("evil"));
    assertEquals("NotInInventory", failure.getType());
    assertTrue(failure.isNonRetryable());
    assertEquals("cert/evil is not in this worker's inventory (test estate)", failure.getOriginalMessage());
    assertThrows(ApplicationFailure.class,
        () -> activities.activities().rollback(new ai.thinkheads.phoenix.certs.workflows.certificate.CertificateRef(
            "evil", "d")));
    assertFalse(Files.exists(dir.resolve("evil.crt")));
  }

  @Test
  void aStepOnAnotherVersionOfTheEntryThanItsCycleStartedFromIsRefused() {
    var startedWith = activities.estate().put(spec);
    activities.estate().put(withReload(spec, List.of("touch", dir.resolve("changed").toString())));
    ApplicationFailure failure = assertThrows(ApplicationFailure.class,
        () -> activities.activities().issueAndStage(startedWith));
    assertEquals("InventoryChanged", failure.getType());
    assertTrue(failure.getOriginalMessage().contains("is not the one this cycle started from (digest "
        + startedWith.digest() + ")"), failure.getOriginalMessage());
    assertFalse(Files.exists(Path.of(spec.files().key() + ".staged")), "nothing was written");
  }

  /** Certificates listing the same reload's options in another order share it (Map.copyOf keeps no order). */
  @Test
  void theReloadKeyDoesNotDependOnTheOrderOfTheOptions() {
    Map<String, String> listed = new LinkedHashMap<>();
    listed.put("container", "portainer");
    listed.put("action", "restart");
    listed.put("timeout", "30s");
    Map<String, String> reversed = new LinkedHashMap<>();
    reversed.put("timeout", "30s");
    reversed.put("action", "restart");
    reversed.put("container", "portainer");
    String first = withReload(spec, new StepSpec("docker", List.of(), listed)).reloadKey();
    assertEquals(first, withReload(spec, new StepSpec("docker", List.of(), reversed)).reloadKey());
    assertNotEquals(first, withReload(spec,
        new StepSpec("docker", List.of(), Map.of("container", "other"))).reloadKey());
  }

  static CertificateSpec withReload(CertificateSpec spec, List<String> argv) {
    return withReload(spec, new StepSpec("command", argv, Map.of()));
  }

  static CertificateSpec withReload(CertificateSpec spec, StepSpec reload) {
    return new CertificateSpec(spec.name(), spec.target(), spec.issuer(), spec.commonName(), spec.sans(), spec.key(),
        spec.usages(), spec.lifetime(), spec.renewAt(), spec.renewBefore(), spec.files(), spec.validate(),
        reload, spec.verify(), spec.after());
  }

}
