package ai.thinkheads.phoenix.certs.worker.inventory;

import ai.thinkheads.phoenix.certs.activities.plugin.Family;
import ai.thinkheads.phoenix.certs.activities.plugin.Plugin;
import ai.thinkheads.phoenix.certs.activities.plugin.PluginChecks;
import ai.thinkheads.phoenix.certs.activities.plugin.PluginRegistry;
import ai.thinkheads.phoenix.certs.activities.plugin.Settings;
import ai.thinkheads.phoenix.certs.activities.plugin.SpecProblem;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a plugin's entry the same way for every family (the CA, a host's or guest's transport, a step): a known
 * {@code type}, its options written flat or under {@code options:}, then the plugin's declared and own checks,
 * each problem reported at the line and column of the option it is about. Knows no plugin by name.
 */
final class PluginReader {

  private final Problems problems;
  private final PluginRegistry plugins;

  PluginReader(Problems problems, PluginRegistry plugins) {
    this.problems = problems;
    this.plugins = plugins;
  }

  PluginRegistry plugins() {
    return plugins;
  }

  /**
   * The plugin {@code type} names in {@code family}, or empty with the problem reported at {@code typeAt};
   * {@code alsoKnown} lists what else the field accepts ("none" for steps).
   */
  Optional<Plugin> plugin(Family family, String type, String typeAt, String... alsoKnown) {
    String known = String.join(", ", plugins.types(family)) + (alsoKnown.length == 0 ? ""
        : ", " + String.join(", ", alsoKnown));
    if (type == null) {
      problems.at(typeAt, "missing: the " + family.noun() + " (known: " + known + ")");
      return Optional.empty();
    }
    Optional<Plugin> found = plugins.find(family, type);
    if (found.isEmpty()) {
      problems.at(typeAt, "unknown " + family.noun() + " '" + type + "' (known: " + known + ")");
    }
    return found;
  }

  /**
   * An entry's options as written under {@code at}, flat beside its own keys and under {@code options:}, with
   * where each came from; null (and reported) when one has no value or is given twice.
   */
  Options options(String at, Map<String, String> nested, Map<String, String> flat) {
    Map<String, String> values = new LinkedHashMap<>();
    Map<String, String> where = new HashMap<>();
    boolean complete = add(at + "/options", nested, values, where) & add(at, flat, values, where);
    return complete ? new Options(values, where) : null;
  }

  /**
   * {@code settings} if the plugin's checks pass; otherwise null, with every problem reported at the option it
   * names (or at {@code at} when the option is absent, a missing required one).
   */
  Settings check(Plugin plugin, String at, Options options, Settings settings) {
    boolean clean = true;
    for (SpecProblem problem : PluginChecks.problems(plugin, settings)) {
      problems.at(options.where().getOrDefault(problem.field(), at + "/" + pointerPart(problem.field())),
          problem.reason());
      clean = false;
    }
    return clean ? settings : null;
  }

  /** Adds the options written under {@code at}; false when one has no value or is given twice. */
  private boolean add(String at, Map<String, String> given, Map<String, String> into, Map<String, String> where) {
    boolean complete = true;
    for (Map.Entry<String, String> option : given == null ? Map.<String, String>of().entrySet()
        : given.entrySet()) {
      String pointer = at + "/" + pointerPart(option.getKey());
      if (option.getValue() == null) {
        problems.at(pointer, "missing: a value for option '" + option.getKey() + "'");
        complete = false;
      } else if (into.putIfAbsent(option.getKey(), option.getValue()) != null) {
        problems.at(pointer, "option '" + option.getKey() + "' given twice (also at "
            + Problems.fieldName(where.get(option.getKey())) + ")");
        complete = false;
      } else {
        where.put(option.getKey(), pointer);
      }
    }
    return complete;
  }

  static String pointerPart(String key) {
    return key.replace("~", "~0").replace("/", "~1");
  }

  /** Options as written, and the pointer each was read from. */
  record Options(Map<String, String> values, Map<String, String> where) {}
}
