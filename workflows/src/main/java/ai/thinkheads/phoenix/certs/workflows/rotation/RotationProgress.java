package ai.thinkheads.phoenix.certs.workflows.rotation;

import java.time.Instant;
import java.util.List;

/**
 * A rotation as the CLI and the worker see it. {@code fromCa}/{@code toCa} tell the worker which pair of its
 * inventory's CAs the phase applies to (another pair: this rotation does not concern it).
 *
 * @param waiting guests and certificates not done yet, each with why ("lxc/102: unreachable, retrying")
 * @param retireAt when the grace period ends (null outside it)
 */
public record RotationProgress(RotationTarget to, RotationPhase phase, String fromCa, String toCa, String fromRoot,
    String toRoot, int guestsDone, int guestsTotal, int certificatesDone, int certificatesTotal,
    List<String> waiting, boolean paused, Instant retireAt, String note) {

  public RotationProgress {
    waiting = waiting == null ? List.of() : List.copyOf(waiting);
  }

  public static RotationProgress planning(RotationTarget to) {
    return new RotationProgress(to, RotationPhase.PLANNING, null, null, null, null, 0, 0, 0, 0, List.of(), false,
        null, null);
  }

  public String summary() {
    return phase.name().toLowerCase(java.util.Locale.ROOT) + (paused ? " (paused)" : "") + ": guests " + guestsDone
        + "/" + guestsTotal + ", certificates " + certificatesDone + "/" + certificatesTotal
        + (retireAt != null ? ", retiring the old root at " + retireAt : "") + (note != null ? "; " + note : "");
  }
}
