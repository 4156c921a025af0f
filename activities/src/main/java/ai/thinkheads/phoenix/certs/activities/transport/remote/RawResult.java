package ai.thinkheads.phoenix.certs.activities.transport.remote;

import ai.thinkheads.phoenix.certs.activities.transport.ExecResult;
import java.nio.charset.StandardCharsets;

/** Exit code and raw output of a remote command; bytes, because a file read through it may be binary. */
public record RawResult(int exitCode, byte[] stdout, byte[] stderr) {

  public RawResult {
    stdout = stdout == null ? new byte[0] : stdout;
    stderr = stderr == null ? new byte[0] : stderr;
  }

  public ExecResult toExecResult() {
    return new ExecResult(exitCode, new String(stdout, StandardCharsets.UTF_8),
        new String(stderr, StandardCharsets.UTF_8));
  }

  /** The end of stderr (or stdout), for an error message. */
  public String tail() {
    return toExecResult().tail();
  }
}
