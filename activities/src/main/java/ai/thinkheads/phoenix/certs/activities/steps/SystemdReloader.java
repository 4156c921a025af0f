package ai.thinkheads.phoenix.certs.activities.steps;

import ai.thinkheads.phoenix.certs.workflows.failure.FailureType;
import ai.thinkheads.phoenix.certs.activities.plugin.Option;
import ai.thinkheads.phoenix.certs.activities.plugin.Settings;
import ai.thinkheads.phoenix.certs.activities.plugin.SpecProblem;
import ai.thinkheads.phoenix.certs.activities.transport.ExecResult;
import ai.thinkheads.phoenix.certs.activities.transport.TransportException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reloads or restarts a systemd unit on the target, then checks that it is active: type {@code systemd}.
 * Options: {@code unit} (required: {@code nginx}, {@code nginx.service}, {@code getty@tty1.service}),
 * {@code action}: {@code reload} (default), {@code restart} or {@code reload-or-restart}, {@code timeout} (60s,
 * for each systemctl call). Runs {@code systemctl <action> <unit>} then {@code systemctl is-active <unit>}, as
 * argv, never through a shell; a unit left failed fails the step, so the certificate is rolled back.
 */
public final class SystemdReloader implements Reloader {

  public static final String TYPE = "systemd";
  static final List<String> ACTIONS = List.of("reload", "restart", "reload-or-restart");

  /**
   * systemd's unit name characters (letters, digits, {@code :-_.\} and the {@code @} of template instances), at
   * most 256; never a leading '-', which systemctl would read as an option.
   */
  static final Pattern UNIT = Pattern.compile("[A-Za-z0-9:_.@\\\\][A-Za-z0-9:_.@\\\\-]{0,255}");

  /** States a unit passes through on its way to active: worth a short wait, not yet a failure. */
  static final Set<String> SETTLING = Set.of("activating", "reloading", "refreshing");
  static final Duration SETTLE = Duration.ofSeconds(10);
  static final long SETTLE_POLL_MILLIS = 500;

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public List<Option> options() {
    return List.of(
        Option.text("unit").required("nginx").matching(UNIT, "a systemd unit name (letters, digits, ':', '-', '_', "
            + "'.', '\\', '@'; not starting with '-')"),
        Option.text("action").oneOf(ACTIONS.toArray(String[]::new)).orElse("reload"),
        Option.duration("timeout").orElse("60s"));
  }

  @Override
  public List<SpecProblem> check(Settings settings) {
    return Step.noArgv(this, settings, "name the unit, e.g. unit: nginx");
  }

  @Override
  public String reload(StepContext context) {
    Settings settings = context.settings(this);
    String unit = settings.get("unit");
    String action = settings.get("action");
    Duration timeout = settings.duration("timeout");
    List<String> argv = List.of("systemctl", action, unit);
    ExecResult done = context.transport().exec(argv, timeout);
    if (!done.succeeded()) {
      throw new StepFailedException(FailureType.COMMAND_FAILED, context.where() + ": `" + String.join(" ", argv) + "` exited "
          + done.exitCode() + ": " + done.tail() + " (see `systemctl status " + unit + "` there)");
    }
    long settleUntil = System.nanoTime() + SETTLE.toNanos();
    while (true) {
      ExecResult active = context.transport().exec(List.of("systemctl", "is-active", unit), timeout);
      String state = active.stdout() == null ? "" : active.stdout().strip();
      if (active.succeeded()) {
        return "`systemctl " + action + " " + unit + "` done; " + unit + " is " + state;
      }
      if (!SETTLING.contains(state) || System.nanoTime() > settleUntil) {
        throw new StepFailedException(FailureType.COMMAND_FAILED, context.where() + ": unit " + unit + " is "
            + (state.isEmpty() ? "in an unknown state (" + active.tail() + ")" : "'" + state + "'")
            + " after `systemctl " + action + " " + unit + "`, not active; see `systemctl status " + unit
            + "` and `journalctl -u " + unit + "` there");
      }
      pause(context);
    }
  }

  private static void pause(StepContext context) {
    try {
      Thread.sleep(SETTLE_POLL_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TransportException(context.where() + ": interrupted", true, e);
    }
  }
}
