package ai.thinkheads.phoenix.certs.activities.issuer;

import ai.thinkheads.phoenix.certs.activities.plugin.Plugin;
import ai.thinkheads.phoenix.certs.activities.plugin.Settings;
import ai.thinkheads.phoenix.certs.activities.plugin.SpecProblem;
import ai.thinkheads.phoenix.certs.workflows.model.CertificateSpec;
import java.util.List;

/**
 * A kind of CA the inventory's {@code ca:} section can name ({@code type: step-ca}), with the options that
 * section takes. The estate has one issuer: the worker makes it from the checked settings and every certificate
 * comes from it.
 */
public interface IssuerPlugin extends Plugin {

  /**
   * The issuer {@code settings} describe. Connects to nothing yet (the first issuance does), so a worker starts
   * while its CA is down.
   */
  Issuer create(Settings settings, IssuerContext context);

  /**
   * What this issuer cannot do for {@code certificate} (an http-01 issuer and a wildcard name); the reader reports
   * each problem at the certificate's field. Only called on settings that passed the checks.
   */
  default List<SpecProblem> checkCertificate(Settings settings, CertificateSpec certificate) {
    return List.of();
  }

  @Override
  default String label() {
    return "the " + type() + " issuer";
  }
}
