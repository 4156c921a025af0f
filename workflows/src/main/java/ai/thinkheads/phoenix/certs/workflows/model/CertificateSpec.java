package ai.thinkheads.phoenix.certs.workflows.model;

import ai.thinkheads.phoenix.certs.workflows.certificate.CertificatePolicy;
import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateWorkflow;
import java.time.Duration;
import java.util.List;
import java.util.TreeMap;

/**
 * Everything a {@code CertificateWorkflow} needs to keep one certificate valid on one target. Built from the
 * inventory; carries names, paths and policies only, never a key or a password.
 *
 * @param lifetime requested validity; null leaves it to the issuer's default
 * @param renewAt fraction of the lifetime after which the certificate is renewed (2/3 by default)
 * @param renewBefore when set, renew this long before expiry instead of at {@code renewAt}
 * @param after names of certificates whose renewal cycle must be over before this one activates a new pair
 *     (each listed earlier in the inventory); empty when absent, as in histories written before it existed
 */
public record CertificateSpec(
    String name,
    TargetSpec target,
    String issuer,
    String commonName,
    List<String> sans,
    KeyAlgorithm key,
    List<KeyUsage> usages,
    Duration lifetime,
    double renewAt,
    Duration renewBefore,
    CertificateFiles files,
    StepSpec validate,
    StepSpec reload,
    StepSpec verify,
    List<String> after) {

  public static final double DEFAULT_RENEW_AT = 2.0 / 3.0;

  public CertificateSpec {
    sans = List.copyOf(sans);
    // unstated: what step-ca and most CAs issue by default (serverAuth and clientAuth); stated: exactly that
    usages = usages == null || usages.isEmpty() ? KeyUsage.DEFAULT : List.copyOf(usages);
    key = key == null ? KeyAlgorithm.ECDSA_P256 : key;
    renewAt = renewAt <= 0 ? DEFAULT_RENEW_AT : renewAt;
    validate = validate == null ? StepSpec.none() : validate;
    reload = reload == null ? StepSpec.none() : reload;
    verify = verify == null ? StepSpec.none() : verify;
    after = after == null ? List.of() : List.copyOf(after);
  }

  public String workflowId() {
    return CertificateWorkflow.workflowIdFor(name);
  }

  /**
   * Which reloads are the same: guest, type, argv and options. The options are sorted, since their order is the
   * order the inventory happened to list them in.
   */
  public String reloadKey() {
    return target.guestId() + " " + reload.type() + " " + reload.argv() + " " + new TreeMap<>(reload.options());
  }

  /** Same guest and the same reload step: one reload serves both. */
  public boolean sharesReloadWith(CertificateSpec other) {
    return !reload.isNone() && reloadKey().equals(other.reloadKey());
  }

  /**
   * What the certificate's workflow decides on, from this entry whose digest is {@code digest}; recorded in its
   * history by {@code inspect}.
   */
  public CertificatePolicy policy(String digest) {
    return new CertificatePolicy(name, digest, target.guestId(), issuer, sans, key, usages, lifetime, renewAt,
        renewBefore, after, !validate.isNone(), !reload.isNone(), !verify.isNone(), files.describe(),
        List.of("validate " + validate.describe(), "reload " + reload.describe(), "verify " + verify.describe()),
        summary(), reload.isNone() ? null : reloadKey());
  }

  /** One line that reads well in the Temporal UI's list of runs. */
  public String summary() {
    return "Renew " + name + " (" + String.join(", ", sans) + ") on " + target.guestId();
  }
}
