package ai.thinkheads.phoenix.certs.worker.inventory;

import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/** Checks the {@code ca} section: a known issuer type and what that type needs. */
final class CaValidator {

  static final String DEFAULT_DATA_DIR = "./var/ca";
  private static final Pattern FINGERPRINT = Pattern.compile("^[0-9a-fA-F]{64}$");

  private final Problems problems;
  private final Function<String, Set<String>> knownTypes;

  CaValidator(Problems problems, Function<String, Set<String>> knownTypes) {
    this.problems = problems;
    this.knownTypes = knownTypes;
  }

  CaSettings validate(Optional<Entries.Ca> entry) {
    if (entry.isEmpty()) {
      problems.at("/ca", "missing: say which CA issues the certificates (ca: {type: local} or {type: step-ca, ...})");
      return null;
    }
    Entries.Ca ca = entry.get();
    Set<String> issuers = knownTypes.apply("issuer");
    if (ca.type() == null) {
      problems.at("/ca/type", "missing: one of " + issuers);
      return null;
    }
    if (!issuers.contains(ca.type())) {
      problems.at("/ca/type", "unknown CA type '" + ca.type() + "' (known: " + String.join(", ", issuers) + ")");
      return null;
    }
    if ("step-ca".equals(ca.type()) && ca.stepPath() == null) {
      require(ca.url(), "/ca/url", "the step-ca URL, e.g. https://ca.internal:9000");
      require(ca.provisioner(), "/ca/provisioner", "the JWK provisioner's name");
      require(ca.passwordFile(), "/ca/passwordFile", "the file holding the provisioner's password");
      if (require(ca.fingerprint(), "/ca/fingerprint", "the root's SHA-256 fingerprint")
          && !FINGERPRINT.matcher(fingerprint(ca.fingerprint())).matches()) {
        problems.at("/ca/fingerprint", "'" + ca.fingerprint() + "' is not a SHA-256 fingerprint: 64 hex digits, as "
            + "`step certificate fingerprint root_ca.crt` prints it, or colon-separated as `openssl x509 -noout "
            + "-fingerprint -sha256 -in root_ca.crt` does");
      }
    }
    String dataDir = ca.dataDir() != null ? ca.dataDir() : DEFAULT_DATA_DIR;
    String name = ca.name() != null ? ca.name() : "phoenix-certs";
    return new CaSettings(ca.type(), name, dataDir, ca.url(), ca.fingerprint() == null ? null
        : fingerprint(ca.fingerprint()), ca.provisioner(), ca.passwordFile(), ca.stepPath());
  }

  /**
   * A fingerprint in the forms people paste: {@code c18520f1...}, {@code C1:85:20:F1:...}, or openssl's whole line
   * {@code sha256 Fingerprint=C1:85:...}; lower-case hex without separators.
   */
  static String fingerprint(String pasted) {
    String value = pasted.contains("=") ? pasted.substring(pasted.lastIndexOf('=') + 1) : pasted;
    return value.replaceAll("[:\\s]", "").toLowerCase(java.util.Locale.ROOT);
  }

  private boolean require(String value, String pointer, String what) {
    if (value == null || value.isBlank()) {
      problems.at(pointer, "missing: " + what);
      return false;
    }
    return true;
  }
}
