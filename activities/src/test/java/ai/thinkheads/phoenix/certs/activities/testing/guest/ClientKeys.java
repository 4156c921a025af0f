package ai.thinkheads.phoenix.certs.activities.testing.guest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The client keys every simulated guest accepts (ed25519, ECDSA P-256, RSA 3072, and an ed25519 encrypted
 * with the passphrase in {@link #passphraseFile()}), plus one key no guest accepts.
 */
public record ClientKeys(Path ed25519, Path ecdsa, Path rsa, Path encrypted, Path passphraseFile, Path stranger,
    List<String> publicKeyLines) {

  static ClientKeys generate(Path dir) {
    try {
      Files.createDirectories(dir);
      Path passphrase = dir.resolve("passphrase");
      Files.writeString(passphrase, "correct horse battery staple\n");
      Path ed25519 = keygen(dir, "id_ed25519", "ed25519", "");
      Path ecdsa = keygen(dir, "id_ecdsa", "ecdsa", "");
      Path rsa = keygen(dir, "id_rsa", "rsa", "");
      Path encrypted = keygen(dir, "id_encrypted", "ed25519", "correct horse battery staple");
      Path stranger = keygen(dir, "id_stranger", "ed25519", "");
      List<String> lines = new ArrayList<>();
      for (Path key : List.of(ed25519, ecdsa, rsa, encrypted)) {
        lines.add(Files.readString(Path.of(key + ".pub")).strip());
      }
      return new ClientKeys(ed25519, ecdsa, rsa, encrypted, passphrase, stranger, List.copyOf(lines));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path keygen(Path dir, String name, String type, String passphrase) {
    Path key = dir.resolve(name);
    List<String> argv = new ArrayList<>(List.of("ssh-keygen", "-q", "-t", type, "-N", passphrase, "-C", name,
        "-f", key.toString()));
    if (type.equals("ecdsa")) {
      argv.addAll(List.of("-b", "256"));
    } else if (type.equals("rsa")) {
      argv.addAll(List.of("-b", "3072"));
    }
    Commands.run(argv);
    return key;
  }
}
