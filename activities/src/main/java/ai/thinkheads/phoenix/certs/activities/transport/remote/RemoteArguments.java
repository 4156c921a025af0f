package ai.thinkheads.phoenix.certs.activities.transport.remote;

import ai.thinkheads.phoenix.certs.activities.transport.FileAttributes;
import ai.thinkheads.phoenix.certs.activities.transport.TransportException;
import java.util.regex.Pattern;

/**
 * Checks paths, modes and owners before they travel to a remote command. They are passed as quoted arguments
 * anyway; the checks stop values that would still be misread by the commands themselves (a path starting with
 * "-" read as an option, a mode chmod parses differently) and give a clear, non-retryable error.
 */
final class RemoteArguments {

  private static final Pattern MODE = Pattern.compile("[0-7]{3,4}");
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]*");

  private RemoteArguments() {}

  static String path(String path, String target) {
    if (path == null || !path.startsWith("/") || path.endsWith("/") || path.chars().anyMatch(c -> c < 0x20)) {
      throw new TransportException("path '" + path + "' for " + target
          + " must be absolute, name a file and hold no control characters; fix the inventory", false);
    }
    return path;
  }

  static String mode(FileAttributes attributes, String path, String target) {
    if (attributes.mode() == null || !MODE.matcher(attributes.mode()).matches()) {
      throw new TransportException("mode '" + attributes.mode() + "' for " + path + " on " + target
          + " is not octal like 0644; fix the inventory", false);
    }
    return attributes.mode();
  }

  /** "" when no owner is asked for; else "user", "user:group" or ":group". */
  static String owner(FileAttributes attributes, String path, String target) {
    String owner = attributes.owner();
    if (owner == null || owner.isEmpty()) {
      return "";
    }
    String[] parts = owner.split(":", -1);
    boolean valid = parts.length <= 2 && (parts[0].isEmpty() || NAME.matcher(parts[0]).matches())
        && (parts.length == 1 || NAME.matcher(parts[1]).matches());
    if (!valid) {
      throw new TransportException("owner '" + owner + "' for " + path + " on " + target
          + " is not user, user:group or :group; fix the inventory", false);
    }
    return owner;
  }
}
