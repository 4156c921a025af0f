package ai.thinkheads.phoenix.certs.activities.steps;

import ai.thinkheads.phoenix.certs.activities.transport.ExecResult;
import ai.thinkheads.phoenix.certs.workflows.model.Durations;
import java.time.Duration;

/**
 * Runs the step's argv on the target (never through a shell): type {@code command}, usable as a validator
 * ({@code nginx -t}) and as a reloader ({@code nginx -s reload}, {@code systemctl reload nginx}).
 */
public final class CommandStep implements Validator, Reloader {

  public static final String TYPE = "command";
  static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public String validate(StepContext context) {
    return run(context, "ValidationFailed");
  }

  @Override
  public String reload(StepContext context) {
    return run(context, "CommandFailed");
  }

  private static String run(StepContext context, String failureKind) {
    if (context.step().argv().isEmpty()) {
      throw new StepFailedException("InvalidSpec", context.where() + ": a command step needs an argv");
    }
    String timeout = context.step().option("timeout");
    ExecResult result = context.transport().exec(context.step().argv(), timeout == null ? DEFAULT_TIMEOUT
        : Durations.parse(timeout).orElseThrow(() -> new StepFailedException("InvalidSpec", context.where()
            + ": timeout '" + timeout + "' is not a duration like 30s or 2m")));
    if (!result.succeeded()) {
      throw new StepFailedException(failureKind, context.where() + ": `" + String.join(" ", context.step().argv())
          + "` exited " + result.exitCode() + ": " + result.tail());
    }
    return result.tail();
  }
}
