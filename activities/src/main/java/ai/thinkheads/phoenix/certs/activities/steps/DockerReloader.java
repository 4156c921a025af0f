package ai.thinkheads.phoenix.certs.activities.steps;

import ai.thinkheads.phoenix.certs.workflows.failure.FailureType;
import ai.thinkheads.phoenix.certs.activities.plugin.Option;
import ai.thinkheads.phoenix.certs.activities.plugin.Settings;
import ai.thinkheads.phoenix.certs.activities.plugin.SpecProblem;
import ai.thinkheads.phoenix.certs.activities.transport.ExecResult;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Makes a Docker container pick up its new pair (Portainer): type {@code docker}. Options: {@code container}
 * (required: its name or id), {@code action}: {@code restart} (default: {@code docker restart <container>}) or
 * {@code kill-hup} ({@code docker kill --signal HUP <container>}, for a service that rereads its files on
 * SIGHUP), {@code timeout} (60s, for each docker call). Either way it then asks
 * {@code docker inspect -f {{.State.Running}} <container>} and fails unless the container runs. All argv, never
 * through a shell.
 */
public final class DockerReloader implements Reloader {

  public static final String TYPE = "docker";
  static final List<String> ACTIONS = List.of("restart", "kill-hup");

  /** Docker's container names, which also covers ids (hex); never a leading '-', read as an option. */
  static final Pattern CONTAINER = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]*");

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public List<Option> options() {
    return List.of(
        Option.text("container").required("portainer")
            .matching(CONTAINER, "a docker container name or id ([a-zA-Z0-9][a-zA-Z0-9_.-]*)"),
        Option.text("action").oneOf(ACTIONS.toArray(String[]::new)).orElse("restart"),
        Option.duration("timeout").orElse("60s"));
  }

  @Override
  public List<SpecProblem> check(Settings settings) {
    return Step.noArgv(this, settings, "name the container, e.g. container: portainer");
  }

  @Override
  public String reload(StepContext context) {
    Settings settings = context.settings(this);
    String container = settings.get("container");
    boolean hup = "kill-hup".equals(settings.get("action"));
    Duration timeout = settings.duration("timeout");
    List<String> argv = hup ? List.of("docker", "kill", "--signal", "HUP", container)
        : List.of("docker", "restart", container);
    ExecResult done = context.transport().exec(argv, timeout);
    if (!done.succeeded()) {
      throw new StepFailedException(FailureType.COMMAND_FAILED, context.where() + ": `" + String.join(" ", argv) + "` exited "
          + done.exitCode() + ": " + done.tail());
    }
    List<String> inspect = List.of("docker", "inspect", "-f", "{{.State.Running}}", container);
    ExecResult running = context.transport().exec(inspect, timeout);
    String answer = running.stdout() == null ? "" : running.stdout().strip();
    if (!running.succeeded()) {
      throw new StepFailedException(FailureType.COMMAND_FAILED, context.where() + ": container " + container + " after `"
          + String.join(" ", argv) + "`: `docker inspect` exited " + running.exitCode() + ": " + running.tail());
    }
    if (!"true".equals(answer)) {
      throw new StepFailedException(FailureType.COMMAND_FAILED, context.where() + ": container " + container
          + " is not running after `" + String.join(" ", argv) + "` (State.Running: " + answer + "); see `docker "
          + "logs " + container + "` there");
    }
    return "`" + String.join(" ", argv) + "` done; container " + container + " is running";
  }
}
