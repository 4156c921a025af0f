package ai.thinkheads.phoenix.certs.activities.steps;

import ai.thinkheads.phoenix.certs.activities.plugin.Plugin;
import ai.thinkheads.phoenix.certs.activities.plugin.Settings;
import ai.thinkheads.phoenix.certs.activities.plugin.SpecProblem;
import java.util.List;

/**
 * What every pluggable step (validator, reloader, verifier) is: a {@link Plugin} whose settings are a
 * certificate's step entry ({@code reload: {type: systemd, unit: nginx}}), with an argv for the steps that run a
 * command. The inventory runs its checks when it is read; the step runs them again before it acts
 * ({@link StepContext#settings}).
 */
public interface Step extends Plugin {

  @Override
  default String label() {
    return "a " + type() + " step";
  }

  /** For steps that take no argv: a problem when one is given, saying what to write instead. */
  static List<SpecProblem> noArgv(Step step, Settings settings, String instead) {
    return settings.argv().isEmpty() ? List.of()
        : List.of(new SpecProblem("argv", step.label() + " takes no argv; " + instead));
  }

  /** For steps that run their argv: a problem when there is none. */
  static List<SpecProblem> needsArgv(Step step, Settings settings, String example) {
    return settings.argv().isEmpty()
        ? List.of(new SpecProblem("argv", "missing: " + step.label() + " needs its argv, e.g. " + example))
        : List.of();
  }
}
