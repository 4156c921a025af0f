package ai.thinkheads.phoenix.certs.activities.plugin;

import java.util.List;
import java.util.regex.Pattern;

/**
 * One option a plugin takes, as the inventory writes it: its name and kind, whether it must be given (with an
 * example for the message that says so), its default, and what narrows its values (choices, a pattern). Built
 * with the factories and withers: {@code Option.text("unit").required("nginx").matching(UNIT, "a unit name")}.
 *
 * @param shape what a value matching {@code pattern} is, for "'x' is not {shape}"
 */
public record Option(String name, OptionKind kind, boolean required, String example, String defaultValue,
    List<String> choices, Pattern pattern, String shape) {

  public Option {
    choices = choices == null ? List.of() : List.copyOf(choices);
  }

  public static Option text(String name) {
    return new Option(name, OptionKind.TEXT, false, null, null, List.of(), null, null);
  }

  public static Option path(String name) {
    return text(name).kind(OptionKind.PATH);
  }

  /** A file of the worker's that holds configuration (see {@link OptionKind#CONFIG_FILE}). */
  public static Option configFile(String name) {
    return text(name).kind(OptionKind.CONFIG_FILE);
  }

  public static Option duration(String name) {
    return text(name).kind(OptionKind.DURATION);
  }

  public static Option port(String name) {
    return text(name).kind(OptionKind.PORT);
  }

  public static Option flag(String name) {
    return text(name).kind(OptionKind.FLAG);
  }

  public static Option url(String name) {
    return text(name).kind(OptionKind.URL);
  }

  /** The name of an entry under {@code hosts:} (a Proxmox host the guest is reached through). */
  public static Option host(String name) {
    return text(name).kind(OptionKind.HOST);
  }

  /** Must be given; {@code example} shows a value in the message when it is missing. */
  public Option required(String example) {
    return new Option(name, kind, true, example, defaultValue, choices, pattern, shape);
  }

  /** The value when the inventory gives none. */
  public Option orElse(String value) {
    return new Option(name, kind, required, example, value, choices, pattern, shape);
  }

  public Option oneOf(String... values) {
    return new Option(name, kind, required, example, defaultValue, List.of(values), pattern, shape);
  }

  public Option matching(Pattern valid, String what) {
    return new Option(name, kind, required, example, defaultValue, choices, valid, what);
  }

  private Option kind(OptionKind newKind) {
    return new Option(name, newKind, required, example, defaultValue, choices, pattern, shape);
  }

  /** Why {@code value} does not fit this option, worded to follow "name: ", or null when it does. */
  String problem(String value) {
    String notA = kind.problem(value);
    if (notA != null) {
      return value.isBlank() ? "missing: a value for option '" + name + "'" : "'" + value + "' is not " + notA;
    }
    if (!choices.isEmpty() && !choices.contains(value)) {
      return "'" + value + "' is not one of " + String.join(", ", choices);
    }
    if (pattern != null && !pattern.matcher(value).matches()) {
      return "'" + value + "' is not " + shape;
    }
    return null;
  }
}
