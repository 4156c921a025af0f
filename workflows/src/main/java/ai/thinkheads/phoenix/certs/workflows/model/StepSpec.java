package ai.thinkheads.phoenix.certs.workflows.model;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.List;
import java.util.Map;

/**
 * One pluggable step (validate, reload, verify) as the inventory names it: a {@code type} that resolves to an
 * implementation, an optional argv, and type-specific options. Never holds a secret: it is stored in history.
 */
public record StepSpec(String type, List<String> argv, Map<String, String> options) {

  public static final String NONE = "none";

  public StepSpec {
    argv = argv == null ? List.of() : List.copyOf(argv);
    options = options == null ? Map.of() : Map.copyOf(options);
  }

  public static StepSpec none() {
    return new StepSpec(NONE, List.of(), Map.of());
  }

  @JsonIgnore
  public boolean isNone() {
    return NONE.equals(type);
  }

  /** As people read it: "none", "systemd {unit=nginx}", "command [nginx, -t]". */
  public String describe() {
    if (isNone()) {
      return NONE;
    }
    return type + (argv.isEmpty() ? "" : " " + argv) + (options.isEmpty() ? "" : " " + new java.util.TreeMap<>(options));
  }

  public String option(String key) {
    return options.get(key);
  }
}
