package ai.thinkheads.phoenix.certs.activities.transport.ssh;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.util.Base64;
import net.schmizz.sshj.common.Buffer;

/** Host key fingerprints as OpenSSH prints them ("SHA256:" + unpadded base64), so operators can compare. */
final class HostKeyFingerprints {

  private HostKeyFingerprints() {}

  static String of(PublicKey key) {
    return ofBlob(blob(key));
  }

  /** The key in SSH wire format, as known_hosts stores it (base64). */
  static byte[] blob(PublicKey key) {
    return new Buffer.PlainBuffer().putPublicKey(key).getCompactData();
  }

  static String ofBlob(byte[] blob) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(blob);
      return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
