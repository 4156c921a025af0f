package ai.thinkheads.phoenix.certs.workflows.model;

/**
 * The live files of a certificate on its target. {@code cert} receives the leaf followed by its intermediates
 * (what Nginx and Portainer expect), {@code key} the private key (mode 0600 unless {@code keyMode} says
 * otherwise), {@code ca} optionally the root.
 */
public record CertificateFiles(String cert, String key, String ca, String certMode, String keyMode, String owner) {

  public static final String DEFAULT_CERT_MODE = "0644";
  public static final String DEFAULT_KEY_MODE = "0600";

  public CertificateFiles {
    certMode = certMode == null ? DEFAULT_CERT_MODE : certMode;
    keyMode = keyMode == null ? DEFAULT_KEY_MODE : keyMode;
  }

  /** As people read it: "cert /etc/nginx/ssl/a.crt (0644), key /etc/nginx/ssl/a.key (0600)". */
  public String describe() {
    return "cert " + cert + " (" + certMode + "), key " + key + " (" + keyMode + ")" + (ca == null ? "" : ", ca " + ca)
        + (owner == null ? "" : ", owner " + owner);
  }
}
