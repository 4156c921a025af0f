package ai.thinkheads.phoenix.certs.activities.steps;

import ai.thinkheads.phoenix.certs.workflows.failure.FailureType;
import ai.thinkheads.phoenix.certs.activities.plugin.Option;
import ai.thinkheads.phoenix.certs.activities.plugin.Settings;
import ai.thinkheads.phoenix.certs.activities.plugin.SpecProblem;
import ai.thinkheads.phoenix.certs.activities.transport.ExecResult;
import java.util.List;

/**
 * Runs the step's argv on the target (never through a shell): type {@code command}, usable as a validator
 * ({@code nginx -t}) and as a reloader ({@code nginx -s reload}). Option: {@code timeout} (60s).
 */
public final class CommandStep implements Validator, Reloader {

  public static final String TYPE = "command";

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public List<Option> options() {
    return List.of(Option.duration("timeout").orElse("60s"));
  }

  @Override
  public List<SpecProblem> check(Settings settings) {
    return Step.needsArgv(this, settings, "[nginx, -t]");
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
    Settings settings = context.settings(this);
    ExecResult result = context.transport().exec(settings.argv(), settings.duration("timeout"));
    if (!result.succeeded()) {
      throw new StepFailedException(failureKind, context.where() + ": `" + String.join(" ", context.step().argv())
          + "` exited " + result.exitCode() + ": " + result.tail());
    }
    return result.tail();
  }
}
