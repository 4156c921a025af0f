package ai.thinkheads.phoenix.certs.activities.issuer.acme;

import ai.thinkheads.phoenix.certs.activities.issuer.IssuerRejectedException;
import ai.thinkheads.phoenix.certs.activities.transport.FileAttributes;
import ai.thinkheads.phoenix.certs.activities.transport.Transport;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * http-01 answered as certbot's {@code --webroot} does: the key authorization written to
 * {@code <webroot>/.well-known/acme-challenge/<token>} on the certificate's guest, through its transport, for
 * the web server there to serve on port 80; removed once the CA has looked.
 */
final class Http01Webroot {

  static final String CHALLENGE_DIR = "/.well-known/acme-challenge/";

  /**
   * A token is base64url (RFC 8555 section 8.1) and becomes a file name: anything else (a "/", "..") is refused
   * before it reaches a guest.
   */
  private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{1,256}");

  private final String webroot;

  Http01Webroot(String webroot) {
    this.webroot = webroot;
  }

  /** Where the answer to {@code token} goes on the guest. */
  String path(String token) {
    if (token == null || !TOKEN.matcher(token).matches()) {
      throw new IssuerRejectedException("the ACME CA sent the http-01 token '" + token + "', which is not "
          + "base64url; refusing to write it as a file name");
    }
    return webroot + CHALLENGE_DIR + token;
  }

  /** Writes the answer (world-readable: the web server's user serves it); returns its path. */
  String put(Transport guest, String token, String keyAuthorization) {
    String path = path(token);
    guest.write(path, keyAuthorization.getBytes(StandardCharsets.US_ASCII), FileAttributes.mode("0644"));
    return path;
  }

  void remove(Transport guest, String path) {
    guest.delete(path);
  }

  String webroot() {
    return webroot;
  }
}
