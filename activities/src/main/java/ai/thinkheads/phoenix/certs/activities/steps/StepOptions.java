package ai.thinkheads.phoenix.certs.activities.steps;

import ai.thinkheads.phoenix.certs.workflows.failure.FailureType;
import ai.thinkheads.phoenix.certs.workflows.model.Durations;
import ai.thinkheads.phoenix.certs.workflows.model.StepSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/** The checks step types share: which options a type takes, required ones, choices, names and the timeout. */
final class StepOptions {

  private final StepSpec step;
  private final String kind;
  private final List<SpecProblem> problems = new ArrayList<>();

  private StepOptions(StepSpec step, String kind) {
    this.step = step;
    this.kind = kind;
  }

  /** Starts the checks of {@code step}; {@code kind} names it in reasons ("a systemd step"). */
  static StepOptions of(StepSpec step, String kind) {
    return new StepOptions(step, kind);
  }

  /** Every option not in {@code known} is a problem (a typo must not silently fall back to a default). */
  StepOptions only(Set<String> known) {
    for (String name : new TreeSet<>(step.options().keySet())) {
      if (!known.contains(name)) {
        problems.add(new SpecProblem(name, "unknown option '" + name + "' for " + kind + " (known: "
            + String.join(", ", new TreeSet<>(known)) + ")"));
      }
    }
    return this;
  }

  StepOptions noArgv(String instead) {
    if (!step.argv().isEmpty()) {
      problems.add(new SpecProblem("argv", kind + " takes no argv; " + instead));
    }
    return this;
  }

  StepOptions needsArgv(String example) {
    if (step.argv().isEmpty()) {
      problems.add(new SpecProblem("argv", "missing: " + kind + " needs its argv, e.g. " + example));
    }
    return this;
  }

  /** {@code name} must be given and match {@code pattern}; {@code what} says what a valid value looks like. */
  StepOptions name(String name, Pattern pattern, String what, String example) {
    String value = step.option(name);
    if (value == null || value.isBlank()) {
      problems.add(new SpecProblem(name, "missing: " + kind + " needs the " + name + ", e.g. " + name + ": "
          + example));
    } else if (!pattern.matcher(value).matches()) {
      problems.add(new SpecProblem(name, "'" + value + "' is not " + what));
    }
    return this;
  }

  StepOptions oneOf(String name, List<String> choices) {
    String value = step.option(name);
    if (value != null && !choices.contains(value)) {
      problems.add(new SpecProblem(name, "'" + value + "' is not one of " + String.join(", ", choices)));
    }
    return this;
  }

  StepOptions duration(String name) {
    String value = step.option(name);
    if (value != null && Durations.parse(value).isEmpty()) {
      problems.add(new SpecProblem(name, "'" + value + "' is not a duration like 30s or 2m"));
    }
    return this;
  }

  List<SpecProblem> problems() {
    return List.copyOf(problems);
  }

  /**
   * Before a step runs: its settings must pass its own check. The inventory has run the same check, so this
   * fires only for a spec that bypassed it (an old history, a hand-made start); nothing has run on the target.
   */
  static void require(Step type, StepContext context) {
    List<SpecProblem> found = type.check(context.step());
    if (!found.isEmpty()) {
      throw new StepFailedException(FailureType.INVALID_SPEC, context.where() + ": " + String.join("; ",
          found.stream().map(SpecProblem::toString).toList()));
    }
  }

  /** The {@code timeout} option, or {@code fallback}; only call after {@link #require}. */
  static Duration timeout(StepContext context, Duration fallback) {
    String value = context.step().option("timeout");
    return value == null ? fallback : Durations.parse(value).orElseThrow();
  }
}
