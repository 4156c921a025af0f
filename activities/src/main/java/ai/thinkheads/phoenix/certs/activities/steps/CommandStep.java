package ai.thinkheads.phoenix.certs.activities.steps;

import ai.thinkheads.phoenix.certs.workflows.failure.FailureType;
import ai.thinkheads.phoenix.certs.activities.transport.ExecResult;
import ai.thinkheads.phoenix.certs.workflows.model.StepSpec;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * Runs the step's argv on the target (never through a shell): type {@code command}, usable as a validator
 * ({@code nginx -t}) and as a reloader ({@code nginx -s reload}). Option: {@code timeout} (60s).
 */
public final class CommandStep implements Validator, Reloader {

  public static final String TYPE = "command";
  static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public List<SpecProblem> check(StepSpec step) {
    return StepOptions.of(step, "a command step").only(Set.of("timeout")).needsArgv("[nginx, -t]")
        .duration("timeout").problems();
  }

  @Override
  public String validate(StepContext context) {
    return run(context, FailureType.VALIDATION_FAILED);
  }

  @Override
  public String reload(StepContext context) {
    return run(context, FailureType.COMMAND_FAILED);
  }

  private String run(StepContext context, FailureType failureKind) {
    StepOptions.require(this, context);
    ExecResult result = context.transport().exec(context.step().argv(), StepOptions.timeout(context,
        DEFAULT_TIMEOUT));
    if (!result.succeeded()) {
      throw new StepFailedException(failureKind, context.where() + ": `" + String.join(" ", context.step().argv())
          + "` exited " + result.exitCode() + ": " + result.tail());
    }
    return result.tail();
  }
}
