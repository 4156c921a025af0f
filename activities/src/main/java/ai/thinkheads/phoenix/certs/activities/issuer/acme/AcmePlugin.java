package ai.thinkheads.phoenix.certs.activities.issuer.acme;

import ai.thinkheads.phoenix.certs.activities.issuer.Issuer;
import ai.thinkheads.phoenix.certs.activities.issuer.IssuerContext;
import ai.thinkheads.phoenix.certs.activities.issuer.IssuerPlugin;
import ai.thinkheads.phoenix.certs.activities.issuer.stepca.StepCaConfig;
import ai.thinkheads.phoenix.certs.activities.issuer.stepca.StepCaPlugin;
import ai.thinkheads.phoenix.certs.activities.plugin.Option;
import ai.thinkheads.phoenix.certs.activities.plugin.Settings;
import ai.thinkheads.phoenix.certs.activities.plugin.SpecProblem;
import ai.thinkheads.phoenix.certs.workflows.model.CertificateSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * {@code ca: {type: acme}}: any RFC 8555 CA (a step-ca ACME provisioner, Let's Encrypt, pebble), proving each name
 * with http-01 through a webroot on the certificate's guest. Options: {@code directory} (required),
 * {@code fingerprint} (a step-ca's root, pinned as the step-ca issuer pins it) or {@code root} (the root file its
 * certificates chain to) with an optional {@code caBundle} for TLS to the directory, {@code accountKeyFile}
 * (required; made on first use), {@code email}, {@code webroot} (required), {@code challengeTimeout} (60s).
 */
public final class AcmePlugin implements IssuerPlugin {

  private static final Pattern EMAIL = Pattern.compile("[^@\\s:]+@[^@\\s:]+\\.[^@\\s:]+");

  @Override
  public String type() {
    return AcmeIssuer.TYPE;
  }

  @Override
  public List<Option> options() {
    return List.of(
        Option.url("directory").required("https://ca.internal.thinkheads.ai:9000/acme/acme/directory"),
        StepCaPlugin.fingerprint("fingerprint"),
        Option.configFile("caBundle"),
        Option.configFile("root"),
        Option.path("accountKeyFile").required("/etc/phoenix-certs/acme-account.pem"),
        Option.text("email").matching(EMAIL, "an e-mail address"),
        Option.path("webroot").required("/var/lib/phoenix-certs/acme"),
        Option.duration("challengeTimeout").orElse("60s"));
  }

  @Override
  public List<SpecProblem> check(Settings settings) {
    List<SpecProblem> problems = new ArrayList<>();
    if (!settings.get("directory").startsWith("https://")) {
      problems.add(new SpecProblem("directory", "'" + settings.get("directory") + "' is not an https:// URL: ACME "
          + "is spoken over TLS only"));
    }
    boolean pinned = settings.has("fingerprint");
    if (pinned && settings.has("caBundle")) {
      problems.add(new SpecProblem("caBundle", "give fingerprint (a step-ca, whose pinned root TLS then trusts) or "
          + "caBundle, not both"));
    }
    if (pinned && settings.has("root")) {
      problems.add(new SpecProblem("root", "with fingerprint the pinned root is the root; drop root"));
    }
    if (!pinned && !settings.has("root")) {
      problems.add(new SpecProblem("root", "missing: the file of the root CA the ACME CA's certificates chain to "
          + "(or fingerprint: the SHA-256 of a step-ca's root, to pin it)"));
    }
    if (!settings.get("webroot").startsWith("/")) {
      problems.add(new SpecProblem("webroot", "'" + settings.get("webroot") + "' must be an absolute path on the "
          + "guests"));
    }
    return problems;
  }

  /** http-01 proves one name at a time and never a wildcard: those need dns-01. */
  @Override
  public List<SpecProblem> checkCertificate(Settings settings, CertificateSpec certificate) {
    List<SpecProblem> problems = new ArrayList<>();
    for (int i = 0; i < certificate.sans().size(); i++) {
      String san = certificate.sans().get(i);
      if (san.startsWith("*.")) {
        problems.add(new SpecProblem("sans/" + i, "'" + san + "' is a wildcard, which http-01 cannot prove (the "
            + "acme issuer answers http-01 only); name each host, or issue it from step-ca's JWK provisioner "
            + "(ca type step-ca)"));
      }
    }
    return problems;
  }

  @Override
  public Issuer create(Settings settings, IssuerContext context) {
    return new AcmeIssuer(config(settings), context);
  }

  static AcmeConfig config(Settings settings) {
    return new AcmeConfig(settings.url("directory"),
        settings.has("fingerprint") ? StepCaConfig.normalizeFingerprint(settings.get("fingerprint")) : null,
        settings.path("caBundle"), settings.path("root"), settings.path("accountKeyFile"), settings.get("email"),
        settings.get("webroot"), settings.duration("challengeTimeout"));
  }
}
