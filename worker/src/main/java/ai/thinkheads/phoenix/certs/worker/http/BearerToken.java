package ai.thinkheads.phoenix.certs.worker.http;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/**
 * The events endpoint's shared secret, read from a file (its first line). Compared in constant time over
 * SHA-256 digests, so neither the content nor the length of the token leaks through response times.
 */
public final class BearerToken {

  static final int MIN_LENGTH = 16;
  private static final String SCHEME = "Bearer ";

  private final byte[] digest;

  private BearerToken(String token) {
    this.digest = sha256(token);
  }

  public static BearerToken read(Path file) {
    return read(file, "events", "phoenix.events.token-file");
  }

  /** The token of the {@code what} endpoint ("events", "metrics"), configured by {@code property}. */
  public static BearerToken read(Path file, String what, String property) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new EventsConfigException("cannot read the " + what + " token file " + file + " (" + property + "): "
          + e + "; create it, e.g. head -c 32 /dev/urandom | base64 > " + file + " && chmod 600 " + file);
    }
    String token = lines.isEmpty() ? "" : lines.get(0).strip();
    if (token.length() < MIN_LENGTH) {
      throw new EventsConfigException("the " + what + " token in " + file + " is " + token.length()
          + " characters long; use at least " + MIN_LENGTH + ", e.g. head -c 32 /dev/urandom | base64 > " + file);
    }
    return new BearerToken(token);
  }

  /** True when the Authorization header carries this token. */
  public boolean matches(String authorization) {
    if (authorization == null || authorization.length() <= SCHEME.length()
        || !authorization.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
      return false;
    }
    return MessageDigest.isEqual(digest, sha256(authorization.substring(SCHEME.length()).strip()));
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JVM has no SHA-256", e);
    }
  }
}
