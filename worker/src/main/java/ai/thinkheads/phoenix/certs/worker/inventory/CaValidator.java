package ai.thinkheads.phoenix.certs.worker.inventory;

import ai.thinkheads.phoenix.certs.activities.plugin.Family;
import ai.thinkheads.phoenix.certs.activities.plugin.Plugin;
import ai.thinkheads.phoenix.certs.activities.plugin.Settings;
import java.util.Optional;

/** Checks the {@code ca} section: a known issuer type and the options that issuer declares. */
final class CaValidator {

  private final Problems problems;
  private final PluginReader reader;

  CaValidator(Problems problems, PluginReader reader) {
    this.problems = problems;
    this.reader = reader;
  }

  /** The issuer's checked settings, or null (reported). */
  Settings validate(Optional<Entries.Ca> entry) {
    if (entry.isEmpty()) {
      problems.at("/ca", "missing: say which CA issues the certificates (ca: {type: local} or {type: step-ca, ...})");
      return null;
    }
    Entries.Ca ca = entry.get();
    Optional<Plugin> plugin = reader.plugin(Family.ISSUER, ca.type(), "/ca/type");
    PluginReader.Options options = reader.options("/ca", ca.options(), ca.flat());
    if (plugin.isEmpty() || options == null) {
      return null;
    }
    return reader.check(plugin.get(), "/ca", options, Settings.of(plugin.get(), options.values()));
  }
}
