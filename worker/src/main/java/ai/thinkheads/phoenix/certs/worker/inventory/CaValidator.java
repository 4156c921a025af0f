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
    return validate(entry, "/ca");
  }

  /**
   * The CA a rotation moves from ({@code ca.previous}) or to ({@code ca.next}): a CA entry like {@code ca:}, which
   * lists no rotation of its own; null when absent or not valid (reported).
   */
  Settings validatePartner(Entries.Ca ca) {
    if (ca.previous() != null && ca.next() != null) {
      problems.at("/ca/next", "list either previous (the CA a rotation to this one retires) or next (the CA to "
          + "rotate to), not both");
      return null;
    }
    String at = ca.previous() != null ? "/ca/previous" : "/ca/next";
    Entries.Ca partner = ca.previous() != null ? ca.previous() : ca.next();
    if (partner == null) {
      return null;
    }
    if (partner.previous() != null || partner.next() != null) {
      problems.at(at + (partner.previous() != null ? "/previous" : "/next"), "a rotation's other CA lists no "
          + "rotation of its own");
      return null;
    }
    return validate(Optional.of(partner), at);
  }

  private Settings validate(Optional<Entries.Ca> entry, String at) {
    if (entry.isEmpty()) {
      problems.at("/ca", "missing: say which CA issues the certificates (ca: {type: local} or {type: step-ca, ...})");
      return null;
    }
    Entries.Ca ca = entry.get();
    Optional<Plugin> plugin = reader.plugin(Family.ISSUER, ca.type(), at + "/type");
    PluginReader.Options options = reader.options(at, ca.options(), ca.flat());
    if (plugin.isEmpty() || options == null) {
      return null;
    }
    return reader.check(plugin.get(), at, options, Settings.of(plugin.get(), options.values()));
  }
}
