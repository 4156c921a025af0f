package ai.thinkheads.phoenix.certs.worker.inventory;

import ai.thinkheads.phoenix.certs.activities.audit.AuditSpec;
import ai.thinkheads.phoenix.certs.activities.estate.Guest;
import ai.thinkheads.phoenix.certs.activities.plugin.Family;
import ai.thinkheads.phoenix.certs.activities.plugin.Plugin;
import ai.thinkheads.phoenix.certs.activities.plugin.Settings;
import ai.thinkheads.phoenix.certs.workflows.model.Durations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Checks the {@code audit:} section: its interval, concurrency and warning window, and each source as a plugin of
 * the audit family (a known {@code type}, its declared options, a {@code guest} option naming a listed guest).
 * Absent, the audit runs daily with its default sources.
 */
final class AuditValidator {

  static final int MAX_CONCURRENCY = 64;

  private final Problems problems;
  private final PluginReader reader;

  AuditValidator(Problems problems, PluginReader reader) {
    this.problems = problems;
    this.reader = reader;
  }

  AuditSpec validate(Optional<Entries.Audit> entry, List<Guest> guests) {
    if (entry.isEmpty()) {
      return AuditSpec.DEFAULT;
    }
    Entries.Audit audit = entry.get();
    Duration interval = duration(audit.interval(), "/audit/interval");
    Duration warnBefore = duration(audit.warnBefore(), "/audit/warnBefore");
    int concurrency = 0;
    if (audit.concurrency() != null) {
      if (audit.concurrency() < 1 || audit.concurrency() > MAX_CONCURRENCY) {
        problems.at("/audit/concurrency", "'" + audit.concurrency() + "' is not between 1 and " + MAX_CONCURRENCY);
      } else {
        concurrency = audit.concurrency();
      }
    }
    List<Settings> sources = new ArrayList<>();
    List<Entries.AuditSource> listed = audit.sources() == null ? List.of() : audit.sources();
    for (int i = 0; i < listed.size(); i++) {
      String at = "/audit/sources/" + i;
      Entries.AuditSource source = listed.get(i);
      if (source == null) {
        problems.at(at, "missing: a source ({type: ..., ...})");
        continue;
      }
      Optional<Plugin> plugin = reader.plugin(Family.AUDIT, source.type(), at + "/type");
      PluginReader.Options options = reader.options(at, source.options(), source.flat());
      if (plugin.isEmpty() || options == null) {
        continue;
      }
      Settings settings = reader.check(plugin.get(), at, options, Settings.of(plugin.get(), options.values()));
      if (settings == null) {
        continue;
      }
      String guest = settings.get("guest");
      if (guest != null && guests.stream().noneMatch(g -> g.answersTo(guest))) {
        problems.at(options.where().get("guest"), "unknown guest '" + guest + "' (known: " + String.join(", ",
            guests.stream().map(g -> g.name() != null ? g.name() : g.id()).toList()) + ")");
        continue;
      }
      sources.add(settings);
    }
    return new AuditSpec(interval, concurrency, warnBefore, sources);
  }

  private Duration duration(String text, String at) {
    if (text == null) {
      return null;
    }
    Optional<Duration> parsed = Durations.parse(text);
    if (parsed.isEmpty() || parsed.get().isNegative() || parsed.get().isZero()) {
      problems.at(at, "'" + text + "' is not a duration (e.g. 24h, 30d)");
      return null;
    }
    return parsed.get();
  }
}
