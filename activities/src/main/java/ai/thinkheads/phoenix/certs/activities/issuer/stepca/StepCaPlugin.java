package ai.thinkheads.phoenix.certs.activities.issuer.stepca;

import ai.thinkheads.phoenix.certs.activities.issuer.Issuer;
import ai.thinkheads.phoenix.certs.activities.issuer.IssuerContext;
import ai.thinkheads.phoenix.certs.activities.issuer.IssuerPlugin;
import ai.thinkheads.phoenix.certs.activities.plugin.Option;
import ai.thinkheads.phoenix.certs.activities.plugin.Settings;
import ai.thinkheads.phoenix.certs.activities.plugin.SpecProblem;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * {@code ca: {type: step-ca}}: a Smallstep CA signing through a JWK provisioner. Options: {@code url},
 * {@code fingerprint} (the root's SHA-256, pinned), {@code provisioner}, {@code passwordFile}; or
 * {@code stepPath}, a {@code step ca bootstrap} directory that holds the URL and fingerprint (provisioner and
 * passwordFile then optional).
 */
public final class StepCaPlugin implements IssuerPlugin {

  /**
   * As {@code step certificate fingerprint} prints it; colons and upper case are accepted too, and openssl's
   * whole {@code sha256 Fingerprint=...} line.
   */
  static final Pattern FINGERPRINT = Pattern.compile("(?i)(sha-?256 fingerprint=)?[0-9a-f]{2}(:?[0-9a-f]{2}){31}");

  @Override
  public String type() {
    return StepCaIssuer.TYPE;
  }

  @Override
  public List<Option> options() {
    return List.of(Option.url("url"), fingerprint("fingerprint"), Option.text("provisioner"),
        Option.configFile("passwordFile"), Option.configFile("stepPath"));
  }

  /** A root fingerprint option, as the step-ca and acme issuers pin a root. */
  public static Option fingerprint(String name) {
    return Option.text(name).matching(FINGERPRINT, "a SHA-256 fingerprint: 64 hex digits, as `step certificate "
        + "fingerprint root_ca.crt` prints it, or colon-separated as `openssl x509 -noout -fingerprint -sha256` does");
  }

  @Override
  public List<SpecProblem> check(Settings settings) {
    List<SpecProblem> problems = new ArrayList<>();
    if (settings.has("stepPath")) {
      return problems; // the rest comes from the bootstrap directory, checked when the issuer is made
    }
    require(settings, "url", "the step-ca URL, e.g. https://ca.internal:9000", problems);
    require(settings, "provisioner", "the JWK provisioner's name", problems);
    require(settings, "passwordFile", "the file holding the provisioner's password", problems);
    require(settings, "fingerprint", "the root's SHA-256 fingerprint", problems);
    if (settings.has("url") && !settings.get("url").startsWith("https://")) {
      problems.add(new SpecProblem("url", "'" + settings.get("url") + "' is not an https:// URL: step-ca speaks "
          + "TLS only"));
    }
    return problems;
  }

  private static void require(Settings settings, String name, String what, List<SpecProblem> problems) {
    if (!settings.has(name)) {
      problems.add(new SpecProblem(name, "missing: " + what));
    }
  }

  /** The root pinned by fingerprint; the provisioner key decrypted once, on first use. */
  @Override
  public Issuer create(Settings settings, IssuerContext context) {
    StepCaConfig config = settings.has("stepPath")
        ? StepCaConfig.fromStepPath(settings.path("stepPath"), settings.get("provisioner"),
            settings.path("passwordFile"))
        : new StepCaConfig(settings.url("url"), settings.get("fingerprint"), settings.get("provisioner"),
            settings.path("passwordFile"));
    return new StepCaIssuer(config);
  }
}
