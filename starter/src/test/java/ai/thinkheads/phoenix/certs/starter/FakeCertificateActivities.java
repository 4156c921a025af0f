package ai.thinkheads.phoenix.certs.starter;

import ai.thinkheads.phoenix.certs.workflows.certificate.ActivationResult;
import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateActivities;
import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateRef;
import ai.thinkheads.phoenix.certs.workflows.certificate.Inspection;
import ai.thinkheads.phoenix.certs.workflows.certificate.StagedCertificate;
import ai.thinkheads.phoenix.certs.workflows.certificate.StepResult;
import ai.thinkheads.phoenix.certs.workflows.certificate.TargetState;
import ai.thinkheads.phoenix.certs.workflows.model.CertificateSpec;
import ai.thinkheads.phoenix.certs.workflows.failure.FailureType;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Steps without a target, for the CLI's tests: every certificate starts live with serial "aa01" and a year to
 * go; an issue hands out the fixed chain in chain.pem; a certificate whose name contains "broken" fails its
 * validation (so it is rolled back). Issuing and rolling back take a moment, as they would for real. The workflow around them is the real CertificateWorkflowImpl.
 */
final class FakeCertificateActivities implements CertificateActivities {

  static final String INITIAL_SERIAL = "aa01";
  static final String CHAIN = chain();
  static final X509Certificate LEAF = leaf();

  private final Map<String, String> live = new ConcurrentHashMap<>();
  private final Instant bootedAt = Instant.now();

  @Override
  public Inspection inspect(String name) {
    CertificateSpec spec = CertificateStack.spec(name);
    String serial = live.getOrDefault(name, INITIAL_SERIAL);
    return new Inspection(new TargetState(true, null, serial, bootedAt.minus(Duration.ofHours(1)),
        bootedAt.plus(Duration.ofDays(365)), spec.sans(), spec.key(), "f1"), spec.policy("d1"));
  }

  @Override
  public StagedCertificate issueAndStage(CertificateRef ref) {
    pause(); // long enough for renew --wait to see the phase
    CertificateSpec spec = CertificateStack.spec(ref.name());
    return new StagedCertificate(LEAF.getSerialNumber().toString(16), LEAF.getNotBefore().toInstant(),
        LEAF.getNotAfter().toInstant(), "f2", CHAIN, spec.files().cert() + ".staged", spec.files().key() + ".staged");
  }

  @Override
  public ActivationResult activate(CertificateRef ref, String serial) {
    String previous = live.put(ref.name(), serial);
    return new ActivationResult(serial, previous == null ? INITIAL_SERIAL : previous);
  }

  @Override
  public StepResult validate(CertificateRef ref) {
    if (ref.name().contains("broken")) {
      throw FailureType.VALIDATION_FAILED.failure("nginx -t: unknown directive");
    }
    return new StepResult("validate", false, "ok");
  }

  @Override
  public StepResult reload(CertificateRef ref) {
    return new StepResult("reload", false, "");
  }

  @Override
  public StepResult verify(CertificateRef ref, String expectedSerial) {
    return new StepResult("verify", false, expectedSerial);
  }

  @Override
  public void settle(CertificateRef ref) {}

  @Override
  public void discardStaged(CertificateRef ref) {}

  @Override
  public String revoke(CertificateRef ref, String serial) {
    return serial;
  }

  @Override
  public String rollback(CertificateRef ref) {
    pause();
    live.put(ref.name(), INITIAL_SERIAL);
    return INITIAL_SERIAL;
  }

  private static void pause() {
    try {
      Thread.sleep(RenewCommand.POLL.toMillis() + 300);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static String chain() {
    try (InputStream in = FakeCertificateActivities.class.getResourceAsStream("/chain.pem")) {
      return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static X509Certificate leaf() {
    try {
      return CertificateView.parse(CHAIN).get(0);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
