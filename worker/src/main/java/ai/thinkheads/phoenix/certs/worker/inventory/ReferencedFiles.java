package ai.thinkheads.phoenix.certs.worker.inventory;

import ai.thinkheads.phoenix.certs.activities.estate.SpecDigest;
import ai.thinkheads.phoenix.certs.workflows.model.TargetSpec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * The files an inventory names (the provisioner's password, a step setup, ssh keys and known_hosts): a failure
 * that needs one of them changed (a wrong password, a changed host key) is retried when it changes, so their
 * contents count in the inventory's digests as the file's own bytes do. Read here only to hash them.
 */
final class ReferencedFiles {

  private static final List<String> TARGET_FILES = List.of("identityFile", "passphraseFile", "knownHosts");

  private ReferencedFiles() {}

  static List<Path> ofCa(CaSettings ca) {
    List<Path> files = new ArrayList<>();
    if (ca.passwordFile() != null) {
      files.add(Path.of(ca.passwordFile()));
    }
    if (ca.stepPath() != null) {
      files.add(Path.of(ca.stepPath(), "config", "defaults.json"));
    }
    return files;
  }

  static List<Path> ofTarget(TargetSpec target) {
    return target == null ? List.of() : TARGET_FILES.stream().map(target::option).filter(Objects::nonNull)
        .map(Path::of).toList();
  }

  /** Every file {@code inventory} names, once. */
  static List<Path> of(Inventory inventory) {
    List<Path> files = new ArrayList<>(ofCa(inventory.ca()));
    inventory.guests().forEach(g -> ofTarget(g.target()).stream().filter(f -> !files.contains(f)).forEach(files::add));
    return files;
  }

  /** A digest of the files' names and contents; a missing or unreadable file counts as such, not as an error. */
  static String digest(Collection<Path> files) {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    for (Path file : files) {
      all.writeBytes((file + "\0").getBytes(StandardCharsets.UTF_8));
      try {
        all.writeBytes(Files.readAllBytes(file));
      } catch (IOException e) {
        all.writeBytes(("unreadable: " + e.getClass().getSimpleName()).getBytes(StandardCharsets.UTF_8));
      }
      all.write(0);
    }
    return SpecDigest.of(all.toByteArray());
  }
}
