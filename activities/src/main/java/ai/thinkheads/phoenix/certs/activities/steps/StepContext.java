package ai.thinkheads.phoenix.certs.activities.steps;

import ai.thinkheads.phoenix.certs.workflows.failure.FailureType;
import ai.thinkheads.phoenix.certs.activities.plugin.PluginChecks;
import ai.thinkheads.phoenix.certs.activities.plugin.Settings;
import ai.thinkheads.phoenix.certs.activities.plugin.SpecProblem;
import ai.thinkheads.phoenix.certs.activities.transport.Transport;
import ai.thinkheads.phoenix.certs.workflows.model.CertificateSpec;
import ai.thinkheads.phoenix.certs.workflows.model.StepSpec;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.function.Supplier;

/**
 * What a pluggable step gets to work with: its own spec, the certificate's spec, the target's transport, and the
 * issuer's root (looked up only by the steps that need it).
 */
public record StepContext(String stepName, StepSpec step, CertificateSpec certificate, Transport transport,
    Supplier<X509Certificate> rootSupplier) {

  public X509Certificate root() {
    return rootSupplier.get();
  }

  public String where() {
    return stepName + " of " + certificate.name() + " on " + transport.describe();
  }

  /**
   * The step's settings, checked by {@code type}'s own rules before it does anything. The inventory ran the same
   * checks, so this fires only for a spec that bypassed it (an old history, a hand-made start); nothing has run
   * on the target then.
   */
  public Settings settings(Step type) {
    Settings settings = Settings.of(type, step.options(), step.argv());
    List<SpecProblem> found = PluginChecks.problems(type, settings);
    if (!found.isEmpty()) {
      throw new StepFailedException(FailureType.INVALID_SPEC, where() + ": " + PluginChecks.describe(found));
    }
    return settings;
  }
}
