package ai.thinkheads.phoenix.certs.activities.issuer.stepca;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Where the step-ca is and how to trust and use it: the inventory's {@code ca.url}, {@code ca.fingerprint},
 * {@code ca.provisioner} and {@code ca.passwordFile}. Names files, never holds a secret.
 *
 * @param url the CA's base URL, without a trailing slash ({@code https://ca.internal.thinkheads.ai:9000})
 * @param fingerprint SHA-256 of the root's DER, lower-case hex without separators
 * @param provisioner name of the JWK provisioner that signs
 * @param passwordFile file holding the provisioner's password (decrypts its key)
 * @param rootFile a local copy of the root (from {@code step ca bootstrap}), or null to fetch it from the CA;
 *     either way it is trusted only if its fingerprint is the pinned one
 */
public record StepCaConfig(URI url, String fingerprint, String provisioner, Path passwordFile, Path rootFile) {

  private static final Pattern SHA256_HEX = Pattern.compile("^[0-9a-f]{64}$");

  public StepCaConfig {
    if (url == null || !"https".equals(url.getScheme()) || url.getHost() == null) {
      throw new IllegalArgumentException("ca.url must be an https:// URL of the step-ca, got " + url);
    }
    url = URI.create(url.toString().replaceAll("/+$", ""));
    fingerprint = normalizeFingerprint(fingerprint);
    if (provisioner == null || provisioner.isBlank()) {
      throw new IllegalArgumentException("ca.provisioner must name the step-ca's JWK provisioner");
    }
    if (passwordFile == null) {
      throw new IllegalArgumentException("ca.passwordFile must name the file with provisioner '" + provisioner
          + "''s password");
    }
  }

  public StepCaConfig(URI url, String fingerprint, String provisioner, Path passwordFile) {
    this(url, fingerprint, provisioner, passwordFile, null);
  }

  /** The endpoint {@code path} (e.g. "/1.0/sign") of this CA. */
  public URI endpoint(String path) {
    return URI.create(url + path);
  }

  /**
   * Reads what {@code step ca bootstrap} wrote to {@code $STEPPATH/config/defaults.json} ({@code ca-url},
   * {@code fingerprint}, {@code root}), so that an operator who bootstrapped retypes nothing. {@code provisioner}
   * and {@code passwordFile} may be null to take {@code provisioner} and {@code password-file} from that file.
   */
  public static StepCaConfig fromStepPath(Path stepPath, String provisioner, Path passwordFile) {
    Path defaults = stepPath.resolve("config").resolve("defaults.json");
    JsonNode json;
    try {
      json = new ObjectMapper().readTree(Files.readString(defaults));
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read step defaults " + defaults + ": " + e.getMessage()
          + "; run `step ca bootstrap --ca-url <url> --fingerprint <sha256>` or set ca.url and ca.fingerprint", e);
    }
    String url = text(json, "ca-url", defaults, true);
    String fingerprint = text(json, "fingerprint", defaults, true);
    String root = text(json, "root", defaults, false);
    String name = provisioner != null ? provisioner : text(json, "provisioner", defaults, false);
    String password = text(json, "password-file", defaults, false);
    Path passwords = passwordFile != null ? passwordFile : password == null ? null : stepPath.resolve(password);
    Path rootFile = root == null ? null : stepPath.resolve(root);
    try {
      return new StepCaConfig(URI.create(url), fingerprint, name, passwords, rootFile);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(defaults + ": " + e.getMessage(), e);
    }
  }

  /** {@link #fromStepPath} on {@code $STEPPATH}, or {@code ~/.step} when it is unset (as the step CLI does). */
  public static StepCaConfig fromEnvironment(String provisioner, Path passwordFile) {
    String stepPath = System.getenv("STEPPATH");
    Path dir = stepPath != null && !stepPath.isBlank() ? Path.of(stepPath)
        : Path.of(System.getProperty("user.home"), ".step");
    return fromStepPath(dir, provisioner, passwordFile);
  }

  /** Accepts the forms people paste: upper case, with colons or spaces, as `step certificate fingerprint` prints. */
  public static String normalizeFingerprint(String fingerprint) {
    // as people paste it: hex, colon-separated in either case, or openssl's "sha256 Fingerprint=..." line
    String value = fingerprint == null ? "" : fingerprint.substring(fingerprint.lastIndexOf('=') + 1);
    String hex = value.replaceAll("[:\\s-]", "").toLowerCase(Locale.ROOT);
    if (!SHA256_HEX.matcher(hex).matches()) {
      throw new IllegalArgumentException("ca.fingerprint must be the SHA-256 of the root CA certificate (64 hex "
          + "digits, as `step certificate fingerprint root_ca.crt` prints), got '" + fingerprint + "'");
    }
    return hex;
  }

  private static String text(JsonNode json, String field, Path file, boolean required) {
    JsonNode node = json.get(field);
    if (node == null || !node.isTextual() || node.asText().isBlank()) {
      if (required) {
        throw new IllegalArgumentException(file + " has no \"" + field + "\"; run `step ca bootstrap` again");
      }
      return null;
    }
    return node.asText();
  }
}
