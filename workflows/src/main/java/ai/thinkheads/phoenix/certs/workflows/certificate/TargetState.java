package ai.thinkheads.phoenix.certs.workflows.certificate;

import ai.thinkheads.phoenix.certs.workflows.model.KeyAlgorithm;
import java.time.Instant;
import java.util.List;

/**
 * What a target holds for one certificate, as {@code inspect} found it. Public facts only: the key file is read
 * inside the activity to check that it matches, and never leaves it.
 *
 * @param problem why the pair cannot be used as it is (missing, unreadable, key mismatch), or null
 */
public record TargetState(
    boolean present,
    String problem,
    String serial,
    Instant notBefore,
    Instant notAfter,
    List<String> sans,
    KeyAlgorithm key,
    String fingerprint) {

  public static TargetState unusable(String problem) {
    return new TargetState(false, problem, null, null, null, List.of(), null, null);
  }

  public boolean usable() {
    return present && problem == null;
  }
}
