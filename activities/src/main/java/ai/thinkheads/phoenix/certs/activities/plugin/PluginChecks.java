package ai.thinkheads.phoenix.certs.activities.plugin;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The checks every plugin's settings go through, the same for every family: no option the plugin does not
 * declare, every required one given, every value of its declared kind, then the plugin's own check.
 */
public final class PluginChecks {

  private PluginChecks() {}

  public static List<SpecProblem> problems(Plugin plugin, Settings settings) {
    List<SpecProblem> problems = new ArrayList<>();
    Map<String, Option> declared = plugin.options().stream()
        .collect(Collectors.toMap(Option::name, o -> o, (a, b) -> a));
    for (String name : new TreeSet<>(settings.given().keySet())) {
      if (!declared.containsKey(name)) {
        Set<String> known = new TreeSet<>(declared.keySet());
        problems.add(new SpecProblem(name, "unknown option '" + name + "' for " + plugin.label() + " ("
            + (known.isEmpty() ? "it takes no options" : "known: " + String.join(", ", known)) + ")"));
      }
    }
    for (Option option : plugin.options()) {
      String value = settings.given().get(option.name());
      if (value == null) {
        if (option.required()) {
          problems.add(new SpecProblem(option.name(), "missing: " + plugin.label() + " needs the " + option.name()
              + (option.example() == null ? "" : ", e.g. " + option.name() + ": " + option.example())));
        }
        continue;
      }
      String problem = option.problem(value.strip());
      if (problem != null) {
        problems.add(new SpecProblem(option.name(), problem));
      }
    }
    if (problems.isEmpty()) {
      problems.addAll(plugin.check(settings));
    }
    return List.copyOf(problems);
  }

  /** "field: reason; field: reason", for an exception message. */
  public static String describe(List<SpecProblem> problems) {
    return problems.stream().map(SpecProblem::toString).collect(Collectors.joining("; "));
  }
}
