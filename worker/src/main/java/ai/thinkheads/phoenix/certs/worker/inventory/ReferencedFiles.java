package ai.thinkheads.phoenix.certs.worker.inventory;

import ai.thinkheads.phoenix.certs.activities.estate.SpecDigest;
import ai.thinkheads.phoenix.certs.activities.plugin.Family;
import ai.thinkheads.phoenix.certs.activities.plugin.Option;
import ai.thinkheads.phoenix.certs.activities.plugin.OptionKind;
import ai.thinkheads.phoenix.certs.activities.plugin.PluginRegistry;
import ai.thinkheads.phoenix.certs.activities.plugin.Settings;
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
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * The configuration files an inventory names: every plugin option of kind {@code CONFIG_FILE} that is set (a
 * provisioner's password, a step setup, ssh keys and known_hosts, a CA bundle), not the places the worker keeps
 * its own state (the local CA's data directory, an ACME account key it made). A failure that needs one of them changed (a wrong
 * password, a changed host key) is retried when it changes, so their contents count in the inventory's digests
 * as the file's own bytes do. Read here only to hash them.
 */
final class ReferencedFiles {

  /** How deep a directory option (a step path) is read: its config/defaults.json is two levels down. */
  private static final int DIRECTORY_DEPTH = 3;

  private final PluginRegistry plugins;

  ReferencedFiles(PluginRegistry plugins) {
    this.plugins = plugins;
  }

  List<Path> ofCa(Settings ca) {
    return paths(Family.ISSUER, ca.type(), ca::get);
  }

  List<Path> ofTarget(TargetSpec target) {
    return target == null ? List.of() : paths(Family.TRANSPORT, target.transport(), target::option);
  }

  /** Every file {@code inventory} names, once. */
  List<Path> of(Inventory inventory) {
    List<Path> files = new ArrayList<>(ofCa(inventory.ca()));
    inventory.guests().forEach(g -> ofTarget(g.target()).stream().filter(f -> !files.contains(f)).forEach(files::add));
    return files;
  }

  private List<Path> paths(Family family, String type, Function<String, String> value) {
    return plugins.find(family, type).map(plugin -> plugin.options().stream()
        .filter(option -> option.kind() == OptionKind.CONFIG_FILE).map(Option::name).map(value).filter(Objects::nonNull)
        .map(Path::of).toList()).orElse(List.of());
  }

  /**
   * A digest of the files' names and contents (a directory: the files in it); a missing or unreadable file counts
   * as such, not as an error.
   */
  static String digest(Collection<Path> files) {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    for (Path file : files) {
      for (Path one : expand(file)) {
        all.writeBytes((one + "\0").getBytes(StandardCharsets.UTF_8));
        try {
          all.writeBytes(Files.readAllBytes(one));
        } catch (IOException e) {
          all.writeBytes(("unreadable: " + e.getClass().getSimpleName()).getBytes(StandardCharsets.UTF_8));
        }
        all.write(0);
      }
    }
    return SpecDigest.of(all.toByteArray());
  }

  private static List<Path> expand(Path file) {
    if (!Files.isDirectory(file)) {
      return List.of(file);
    }
    try (Stream<Path> walk = Files.walk(file, DIRECTORY_DEPTH)) {
      return walk.filter(Files::isRegularFile).sorted().toList();
    } catch (IOException e) {
      return List.of(file);
    }
  }
}
