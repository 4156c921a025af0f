package ai.thinkheads.phoenix.certs.activities.transport.remote;

import ai.thinkheads.phoenix.certs.workflows.failure.FailureType;
import static ai.thinkheads.phoenix.certs.activities.transport.remote.RemoteScripts.argv;

import ai.thinkheads.phoenix.certs.activities.transport.Checksums;
import ai.thinkheads.phoenix.certs.activities.transport.ExecResult;
import ai.thinkheads.phoenix.certs.activities.transport.FileAttributes;
import ai.thinkheads.phoenix.certs.activities.transport.Transport;
import ai.thinkheads.phoenix.certs.activities.transport.TransportException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * A {@link Transport} for any target reached by running commands on it (ssh, pct, qm): every operation is one
 * constant script from {@link RemoteScripts} run through a {@link CommandRunner}, so each costs one round
 * trip and all remote transports share the same atomic-write guarantees.
 */
public final class RemoteTransport implements Transport {

  private final CommandRunner runner;
  private final Duration fileTimeout;

  /** {@code fileTimeout} bounds each file operation; {@link #exec} takes its own. */
  public RemoteTransport(CommandRunner runner, Duration fileTimeout) {
    this.runner = runner;
    this.fileTimeout = fileTimeout;
  }

  @Override
  public String describe() {
    return runner.describe();
  }

  @Override
  public Optional<byte[]> read(String path) {
    boolean binary = runner.binarySafeStdout();
    RawResult result = run(argv(binary ? RemoteScripts.READ : RemoteScripts.READ_BASE64, checked(path)), null);
    if (result.exitCode() == RemoteScripts.MISSING) {
      return Optional.empty();
    }
    requireSuccess(result, "read", path);
    return Optional.of(binary ? result.stdout() : Base64.getMimeDecoder().decode(result.stdout()));
  }

  @Override
  public boolean exists(String path) {
    RawResult result = run(argv(RemoteScripts.EXISTS, checked(path)), null);
    if (result.exitCode() == 0 || result.exitCode() == 1) {
      return result.exitCode() == 0;
    }
    throw failure(result, "check", path);
  }

  @Override
  public void write(String path, byte[] content, FileAttributes attributes) {
    String target = checked(path);
    RawResult result = run(argv(RemoteScripts.WRITE, target, RemoteArguments.mode(attributes, path, describe()),
        RemoteArguments.owner(attributes, path, describe()), Checksums.sha256(content),
        String.valueOf(content.length)), content);
    requireSuccess(result, "write", path);
  }

  /** Copies on the target itself: the content never travels, and the copy is as atomic as {@link #write}. */
  @Override
  public void copy(String from, String to, FileAttributes attributes) {
    RawResult result = run(argv(RemoteScripts.COPY, checked(from), checked(to),
        RemoteArguments.mode(attributes, to, describe()), RemoteArguments.owner(attributes, to, describe())), null);
    if (result.exitCode() == RemoteScripts.MISSING) {
      throw new TransportException(from + " on " + describe() + " disappeared while copying it", false);
    }
    requireSuccess(result, "copy " + from + " to", to);
  }

  @Override
  public void rename(String from, String to) {
    requireSuccess(run(argv(RemoteScripts.RENAME, checked(from), checked(to)), null), "rename " + from + " to", to);
  }

  @Override
  public void renamePair(String keyFrom, String keyTo, String certFrom, String certTo) {
    requireSuccess(run(argv(RemoteScripts.RENAME, checked(keyFrom), checked(keyTo), checked(certFrom),
        checked(certTo)), null), "rename " + keyFrom + " and " + certFrom + " to", keyTo + " and " + certTo);
  }

  @Override
  public void delete(String path) {
    requireSuccess(run(argv(RemoteScripts.DELETE, checked(path)), null), "delete", path);
  }

  @Override
  public ExecResult exec(List<String> argv, Duration timeout) {
    if (argv.isEmpty() || argv.stream().anyMatch(a -> a == null || a.indexOf('\0') >= 0)) {
      throw new TransportException("command " + argv + " for " + describe()
          + " is empty or holds a NUL character, which no remote command can receive; fix the inventory", false);
    }
    return runner.run(argv, null, timeout).toExecResult();
  }

  /** Hashed on the target: only the digest travels. */
  @Override
  public Optional<String> checksum(String path) {
    RawResult result = run(argv(RemoteScripts.CHECKSUM, checked(path)), null);
    if (result.exitCode() == RemoteScripts.MISSING) {
      return Optional.empty();
    }
    requireSuccess(result, "checksum", path);
    return Optional.of(new String(result.stdout(), StandardCharsets.US_ASCII).strip());
  }

  private RawResult run(List<String> argv, byte[] stdin) {
    return runner.run(argv, stdin, fileTimeout);
  }

  private String checked(String path) {
    return RemoteArguments.path(path, describe());
  }

  private void requireSuccess(RawResult result, String action, String path) {
    if (result.exitCode() != 0) {
      throw failure(result, action, path);
    }
  }

  private TransportException failure(RawResult result, String action, String path) {
    String tail = result.tail();
    boolean full = result.exitCode() == RemoteScripts.NO_SPACE
        || (result.exitCode() == RemoteScripts.WRITE_FAILED && tail.contains("No space left"));
    if (full) {
      return new TransportException(FailureType.NO_SPACE, "no room for " + path + " on " + describe()
          + (tail.isEmpty() ? "" : " (" + tail + ")") + "; nothing was written. Free some space there", null);
    }
    String message = "cannot " + action + " " + path + " on " + describe() + ": " + reason(result.exitCode())
        + (tail.isEmpty() ? "" : ": " + tail);
    return new TransportException(message, retryable(result.exitCode()));
  }

  private static String reason(int exitCode) {
    return switch (exitCode) {
      case RemoteScripts.MISSING -> "it does not exist";
      case RemoteScripts.NO_DIRECTORY -> "cannot create its directory";
      case RemoteScripts.NO_TEMP_FILE -> "cannot create a temp file beside it (read-only or full file system?)";
      case RemoteScripts.WRITE_FAILED -> "cannot write the temp file (disk full?)";
      case RemoteScripts.DIGEST_FAILED -> "sha256sum failed";
      case RemoteScripts.CONTENT_MISMATCH -> "the content arrived incomplete; the file was left as it was";
      case RemoteScripts.CHMOD_FAILED -> "chmod failed";
      case RemoteScripts.CHOWN_FAILED -> "chown failed (does that user/group exist on the target?)";
      case RemoteScripts.RENAME_FAILED -> "the final rename failed";
      case RemoteScripts.OTHER_FILE_SYSTEM -> "source and destination are on different file systems, so the "
          + "rename would not be atomic; keep both in one directory";
      default -> "exit code " + exitCode;
    };
  }

  /** Only answers that another try cannot change are final: a missing user or a cross-file-system rename. */
  private static boolean retryable(int exitCode) {
    return exitCode != RemoteScripts.CHOWN_FAILED && exitCode != RemoteScripts.CHMOD_FAILED
        && exitCode != RemoteScripts.OTHER_FILE_SYSTEM;
  }
}
