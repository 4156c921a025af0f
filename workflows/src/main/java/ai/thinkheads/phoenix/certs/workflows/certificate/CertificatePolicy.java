package ai.thinkheads.phoenix.certs.workflows.certificate;

import ai.thinkheads.phoenix.certs.workflows.model.KeyAlgorithm;
import ai.thinkheads.phoenix.certs.workflows.model.KeyUsage;
import java.time.Duration;
import java.util.List;

/**
 * What a certificate's workflow needs from the inventory to decide, as {@code inspect} read it from the worker's
 * own inventory: when to renew, what the target must hold, whether there are steps to run, and what comes before
 * it. Recorded in history (so replay is deterministic and the UI shows it) but never handed back to a step: steps
 * take the name and look everything up again.
 *
 * @param digest of the whole inventory entry; a cycle's steps refuse to run on another version of it
 * @param deployedTo where the pair goes, for people reading the history (describe)
 * @param steps the validate, reload and verify steps as written, for people ("command [nginx, -t]"; "none")
 * @param reloadKey which reloads are the same one (guest and step), so certificates renewed together share it;
 *     null when the certificate has no reload step
 */
public record CertificatePolicy(
    String name,
    String digest,
    String guestId,
    String issuer,
    List<String> sans,
    KeyAlgorithm key,
    List<KeyUsage> usages,
    Duration lifetime,
    double renewAt,
    Duration renewBefore,
    List<String> after,
    boolean validates,
    boolean reloads,
    boolean verifies,
    String deployedTo,
    List<String> steps,
    String summary,
    String reloadKey) {

  public CertificatePolicy {
    sans = sans == null ? List.of() : List.copyOf(sans);
    usages = usages == null ? List.of() : List.copyOf(usages);
    after = after == null ? List.of() : List.copyOf(after);
    steps = steps == null ? List.of() : List.copyOf(steps);
  }
}
