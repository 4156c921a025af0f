package ai.thinkheads.phoenix.certs.activities.transport.ssh;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import net.schmizz.sshj.common.KeyType;
import net.schmizz.sshj.transport.verification.HostKeyVerifier;
import net.schmizz.sshj.transport.verification.OpenSSHKnownHosts;

/**
 * Checks a server's host key against an OpenSSH known_hosts file (plain, hashed and wildcard entries, as
 * SSHJ's {@link OpenSSHKnownHosts} reads them) and remembers why it refused one, so the caller can report both
 * fingerprints. One instance per connection attempt: it reads the file when created.
 */
final class KnownHostsVerifier implements HostKeyVerifier {

  /** Serializes appends within this JVM, so concurrent first connections do not interleave lines. */
  private static final Object APPEND_LOCK = new Object();

  private final Path file;
  private final boolean trustOnFirstUse;
  private final Entries entries;
  private volatile HostKeyRejection rejection;

  KnownHostsVerifier(Path file, boolean trustOnFirstUse) throws IOException {
    this.file = file;
    this.trustOnFirstUse = trustOnFirstUse;
    this.entries = new Entries(file.toFile());
  }

  @Override
  public boolean verify(String hostname, int port, PublicKey key) {
    return entries.verify(hostname, port, key);
  }

  @Override
  public List<String> findExistingAlgorithms(String hostname, int port) {
    return entries.findExistingAlgorithms(hostname, port);
  }

  Optional<HostKeyRejection> rejection() {
    return Optional.ofNullable(rejection);
  }

  /** SHA256 fingerprints of every entry for {@code host}, whatever its key type. */
  private List<String> expectedFingerprints(String host) {
    List<String> out = new ArrayList<>();
    for (OpenSSHKnownHosts.KnownHostEntry entry : entries.entries()) {
      try {
        if (entry instanceof OpenSSHKnownHosts.HostEntry && entry.appliesTo(host)) {
          out.add(fingerprintOfLine(entry.getLine()) + " (" + entry.getType() + ")");
        }
      } catch (IOException | RuntimeException e) {
        out.add("an unreadable entry");
      }
    }
    return out;
  }

  /** The key of a known_hosts line is the field after the host patterns and key type ("@marker" first, if any). */
  private static String fingerprintOfLine(String line) {
    String[] fields = line.strip().split("\\s+");
    int keyField = fields[0].startsWith("@") ? 3 : 2;
    return HostKeyFingerprints.ofBlob(Base64.getDecoder().decode(fields[keyField]));
  }

  private boolean refuse(boolean changed, String host, PublicKey key, List<String> expected) {
    rejection = new HostKeyRejection(changed, KeyType.fromKey(key).toString(), HostKeyFingerprints.of(key),
        expected, file);
    return false;
  }

  private void append(String host, PublicKey key) throws IOException {
    String line = host + " " + KeyType.fromKey(key) + " "
        + Base64.getEncoder().encodeToString(HostKeyFingerprints.blob(key)) + "\n";
    synchronized (APPEND_LOCK) {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      byte[] existing = Files.exists(file) ? Files.readAllBytes(file) : new byte[0];
      // Never glue our line onto a last line that lacks its newline.
      String prefix = existing.length > 0 && existing[existing.length - 1] != '\n' ? "\n" : "";
      Files.writeString(file, prefix + line, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    }
  }

  /** SSHJ's parser and matcher; the two hooks decide what an unknown or changed key means here. */
  private final class Entries extends OpenSSHKnownHosts {

    Entries(java.io.File file) throws IOException {
      super(file);
    }

    @Override
    protected boolean hostKeyUnverifiableAction(String host, PublicKey key) {
      List<String> known = expectedFingerprints(host);
      if (!known.isEmpty()) {
        // Known host, but only keys of other types: as suspicious as a changed key, never trusted on first use.
        return refuse(true, host, key, known);
      }
      if (!trustOnFirstUse) {
        return refuse(false, host, key, List.of());
      }
      try {
        append(host, key);
        return true;
      } catch (IOException e) {
        log.warn("cannot record the host key of {} in {}: {}", host, file, e.toString());
        return refuse(false, host, key, List.of());
      }
    }

    @Override
    protected boolean hostKeyChangedAction(String host, PublicKey key) {
      return refuse(true, host, key, expectedFingerprints(host));
    }
  }
}
