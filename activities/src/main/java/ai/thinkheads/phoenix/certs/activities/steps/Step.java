package ai.thinkheads.phoenix.certs.activities.steps;

import ai.thinkheads.phoenix.certs.workflows.model.StepSpec;
import java.util.List;

/**
 * What every pluggable step (validator, reloader, verifier) has: the {@code type} the inventory names it by, and
 * a check of the settings it is given. The inventory runs the check when it is read, so a bad value stops the
 * start with its file and line; the step runs it again before it does anything (see {@link StepOptions}).
 */
public interface Step {

  String type();

  /** What is wrong with {@code step}'s argv and options for this type; empty when it can run. */
  default List<SpecProblem> check(StepSpec step) {
    return List.of();
  }
}
