package ai.thinkheads.phoenix.certs.activities.issuer.acme;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

/**
 * An ACME CA as the inventory describes it ({@code ca: {type: acme, ...}}). Names files, never holds a secret.
 *
 * @param directory the ACME directory URL (step-ca: {@code https://ca:9000/acme/<provisioner>/directory})
 * @param fingerprint SHA-256 of a step-ca's root (lower-case hex): TLS to the directory trusts that root only,
 *     and issued chains must lead to it; null for other CAs
 * @param caBundle PEM file of the CAs trusted for TLS to the directory; null: the pinned root, else the JVM's
 * @param root PEM file of the root the CA's certificates chain to, when not pinned by {@code fingerprint}
 * @param accountKeyFile the account's key pair, made (0600) on first use
 * @param email contact for the account, or null
 * @param webroot directory on each certificate's guest that its web server serves at
 *     {@code http://<name>/}: the http-01 answers go under {@code .well-known/acme-challenge/} there
 * @param challengeTimeout how long the CA may take to validate before the attempt fails
 */
public record AcmeConfig(URI directory, String fingerprint, Path caBundle, Path root, Path accountKeyFile,
    String email, String webroot, Duration challengeTimeout) {

  public static final Duration DEFAULT_CHALLENGE_TIMEOUT = Duration.ofSeconds(60);

  public AcmeConfig {
    webroot = webroot.replaceAll("/+$", "");
    challengeTimeout = challengeTimeout == null ? DEFAULT_CHALLENGE_TIMEOUT : challengeTimeout;
  }

  /** Where a step-ca serves {@code /roots} and {@code /health}: the directory's scheme, host and port. */
  public URI caBase() {
    return URI.create(directory.getScheme() + "://" + directory.getRawAuthority());
  }
}
