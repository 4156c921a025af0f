package ai.thinkheads.phoenix.certs.activities.plugin;

import ai.thinkheads.phoenix.certs.workflows.model.Durations;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A plugin's settings from one inventory entry: the options as written ({@code given}), the plugin's defaults,
 * an argv (steps that run a command), facts of the entry the plugin serves (a guest's vmid, kind and id) and the
 * settings of entries it refers to (the host an option of kind {@link OptionKind#HOST} names). Typed getters
 * apply the defaults; use them only on settings {@link PluginChecks} passed.
 */
public record Settings(String type, Map<String, String> given, Map<String, String> defaults, List<String> argv,
    Map<String, String> facts, Map<String, Settings> references) {

  public Settings {
    given = Map.copyOf(given == null ? Map.of() : given);
    defaults = Map.copyOf(defaults == null ? Map.of() : defaults);
    argv = argv == null ? List.of() : List.copyOf(argv);
    facts = Map.copyOf(facts == null ? Map.of() : facts);
    references = Map.copyOf(references == null ? Map.of() : references);
  }

  public static Settings of(Plugin plugin, Map<String, String> given) {
    return of(plugin, given, List.of());
  }

  public static Settings of(Plugin plugin, Map<String, String> given, List<String> argv) {
    Map<String, String> defaults = new LinkedHashMap<>();
    for (Option option : plugin.options()) {
      if (option.defaultValue() != null) {
        defaults.put(option.name(), option.defaultValue());
      }
    }
    return new Settings(plugin.type(), given, defaults, argv, Map.of(), Map.of());
  }

  public Settings withFacts(Map<String, String> entryFacts) {
    return new Settings(type, given, defaults, argv, entryFacts, references);
  }

  public Settings withReferences(Map<String, Settings> referred) {
    return new Settings(type, given, defaults, argv, facts, referred);
  }

  /** Whether the inventory gave {@code name} (a default does not count). */
  public boolean has(String name) {
    return given.containsKey(name);
  }

  /** The value given, else the default, else null. */
  public String get(String name) {
    String value = given.get(name);
    return value != null ? value.strip() : defaults.get(name);
  }

  public Optional<String> find(String name) {
    return Optional.ofNullable(get(name));
  }

  public Duration duration(String name) {
    String value = get(name);
    return value == null ? null : Durations.parse(value).orElseThrow(() -> notChecked(name, value));
  }

  public int port(String name) {
    String value = get(name);
    int port = value == null ? -1 : OptionKind.port(value);
    if (port < 0) {
      throw notChecked(name, value);
    }
    return port;
  }

  public boolean flag(String name) {
    return "true".equals(get(name));
  }

  public Path path(String name) {
    String value = get(name);
    return value == null ? null : Path.of(value);
  }

  public URI url(String name) {
    String value = get(name);
    return value == null ? null : URI.create(value);
  }

  public String fact(String name) {
    return facts.get(name);
  }

  /** The settings of the entry option {@code name} refers to (a host), or null. */
  public Settings reference(String name) {
    return references.get(name);
  }

  private IllegalStateException notChecked(String name, String value) {
    return new IllegalStateException(type + " option " + name + " '" + value + "' was not checked before use");
  }
}
