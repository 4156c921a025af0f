package ai.thinkheads.phoenix.certs.activities.transport.remote;

import java.time.Duration;
import java.util.List;

/**
 * Runs one argv on a remote target and returns what it printed. Implementations decide how argv gets there
 * (an SSH exec channel, {@code pct exec} or {@code qm guest exec} through the Proxmox host) and must deliver
 * every argument intact: nothing in argv is ever interpreted by a shell.
 */
public interface CommandRunner {

  /** Readable name of the target for messages, e.g. "lxc/101 (127.0.0.1:22001)". */
  String describe();

  /**
   * Runs {@code argv} with {@code stdin} (null: empty input) and waits at most {@code timeout}.
   *
   * @throws ai.thinkheads.phoenix.certs.activities.transport.TransportException when the target cannot be
   *     reached, refuses us, or the command does not finish in time
   */
  RawResult run(List<String> argv, byte[] stdin, Duration timeout);

  /** False when stdout does not survive arbitrary bytes (qm's JSON): file reads then travel as base64. */
  default boolean binarySafeStdout() {
    return true;
  }
}
