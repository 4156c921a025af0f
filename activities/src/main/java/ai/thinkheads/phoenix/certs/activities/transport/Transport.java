package ai.thinkheads.phoenix.certs.activities.transport;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Operations on one target (the local machine, an SSH guest, a container behind pct). Implementations provide
 * the primitives; installs with a backup and restores are built from them here, so every transport gets the
 * same guarantees: a reader sees the old file or the new one, never a half-written one.
 */
public interface Transport {

  /** Readable name of the target for messages, e.g. "lxc/101 (127.0.0.1:22001)". */
  String describe();

  Optional<byte[]> read(String path);

  boolean exists(String path);

  /** Writes a temp file in the same directory, syncs it, sets mode and owner, renames it over {@code path}. */
  void write(String path, byte[] content, FileAttributes attributes);

  /** Atomically replaces {@code to} with {@code from}; {@code from} no longer exists afterwards. */
  void rename(String from, String to);

  /**
   * Renames a key and its certificate into place as one operation, key first. The default is two renames;
   * remote transports run both in one script that finishes even if the caller dies in between, so a target is
   * never left with a new key beside an old certificate.
   */
  default void renamePair(String keyFrom, String keyTo, String certFrom, String certTo) {
    rename(keyFrom, keyTo);
    rename(certFrom, certTo);
  }

  void delete(String path);

  /** Runs argv (never through a shell) and returns its exit code and output. */
  ExecResult exec(List<String> argv, Duration timeout);

  /** SHA-256 of a file's content, hex, or empty when the file does not exist. */
  default Optional<String> checksum(String path) {
    return read(path).map(Checksums::sha256);
  }

  static String backupOf(String path) {
    return path + ".bak";
  }

  /** Copies {@code from} to {@code to} atomically (same guarantees as {@link #write}). */
  default void copy(String from, String to, FileAttributes attributes) {
    byte[] content = read(from).orElseThrow(() -> new TransportException(
        from + " on " + describe() + " disappeared while copying it", false));
    write(to, content, attributes);
  }

  /** Installs {@code content} at {@code path}, keeping the previous version at {@code path.bak}. */
  default void install(String path, byte[] content, FileAttributes attributes) {
    if (exists(path)) {
      copy(path, backupOf(path), attributes);
    }
    write(path, content, attributes);
  }

  /** Puts {@code path.bak} back in place (the backup stays); false when there is no backup. */
  default boolean restore(String path, FileAttributes attributes) {
    if (!exists(backupOf(path))) {
      return false;
    }
    copy(backupOf(path), path, attributes);
    return true;
  }
}
