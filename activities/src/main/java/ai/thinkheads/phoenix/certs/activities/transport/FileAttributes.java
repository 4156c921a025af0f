package ai.thinkheads.phoenix.certs.activities.transport;

/** Mode (octal, "0600") and optional owner ("root" or "root:ssl-cert") a file is installed with. */
public record FileAttributes(String mode, String owner) {

  public static FileAttributes mode(String mode) {
    return new FileAttributes(mode, null);
  }

  public int modeBits() {
    return Integer.parseInt(mode, 8);
  }
}
