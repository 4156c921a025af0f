package ai.thinkheads.phoenix.certs.activities.testing;

import ai.thinkheads.phoenix.certs.activities.certificate.CertificateActivitiesImpl;
import ai.thinkheads.phoenix.certs.activities.estate.Authority;
import ai.thinkheads.phoenix.certs.activities.plugin.PluginRegistry;
import java.time.Clock;
import ai.thinkheads.phoenix.certs.workflows.certificate.ActivationResult;
import ai.thinkheads.phoenix.certs.workflows.certificate.StagedCertificate;
import ai.thinkheads.phoenix.certs.workflows.certificate.StepResult;
import ai.thinkheads.phoenix.certs.workflows.certificate.TargetState;
import ai.thinkheads.phoenix.certs.workflows.model.CertificateSpec;

/**
 * The certificate steps called directly, the way tests of one step like to: each call lists the spec in the
 * test's inventory first, then calls the step by name, as a workflow would.
 */
public final class SpecSteps {

  private final TestEstate estate;
  private final Authority authority;
  private final CertificateActivitiesImpl activities;

  public SpecSteps(TestEstate estate, PluginRegistry catalog) {
    this(estate, catalog, Clock.systemUTC());
  }

  /** @param clock the time answers are judged at: the issuer's, when a test skips time */
  public SpecSteps(TestEstate estate, PluginRegistry catalog, Clock clock) {
    this.estate = estate;
    this.authority = new Authority(() -> estate);
    this.activities = new CertificateActivitiesImpl(authority, catalog, clock);
  }

  public TestEstate estate() {
    return estate;
  }

  public Authority authority() {
    return authority;
  }

  public CertificateActivitiesImpl activities() {
    return activities;
  }

  public TargetState inspect(CertificateSpec spec) {
    estate.put(spec);
    return activities.inspect(spec.name()).target();
  }

  public StagedCertificate issueAndStage(CertificateSpec spec) {
    return activities.issueAndStage(estate.put(spec));
  }

  public ActivationResult activate(CertificateSpec spec, StagedCertificate staged) {
    return activities.activate(estate.put(spec), staged.serial());
  }

  public StepResult validate(CertificateSpec spec) {
    return activities.validate(estate.put(spec));
  }

  public StepResult reload(CertificateSpec spec) {
    return activities.reload(estate.put(spec));
  }

  public StepResult verify(CertificateSpec spec, String expectedSerial) {
    return activities.verify(estate.put(spec), expectedSerial);
  }

  public String revoke(CertificateSpec spec, String serial) {
    return activities.revoke(estate.put(spec), serial);
  }

  public String rollback(CertificateSpec spec) {
    return activities.rollback(estate.put(spec));
  }
}
