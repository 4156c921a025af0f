package ai.thinkheads.phoenix.certs.activities.transport.ssh;

import ai.thinkheads.phoenix.certs.activities.transport.TransportException;
import ai.thinkheads.phoenix.certs.workflows.model.Durations;
import ai.thinkheads.phoenix.certs.workflows.model.TargetSpec;
import java.nio.file.Path;
import java.time.Duration;

/**
 * How to reach one SSH server, read from a target's options: {@code address}, {@code port} (22), {@code user}
 * (root), {@code identityFile}, {@code passphraseFile} (optional), {@code knownHosts}, {@code trustOnFirstUse}
 * ("true" to accept and record an unknown host key), {@code connectTimeout} (10s), {@code commandTimeout} (60s).
 * Only file names: key material never enters the options, which are stored in workflow history.
 */
public record SshOptions(String address, int port, String user, Path identityFile, Path passphraseFile,
    Path knownHosts, boolean trustOnFirstUse, Duration connectTimeout, Duration commandTimeout) {

  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
  public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofSeconds(60);

  public static SshOptions from(TargetSpec target) {
    Reader r = new Reader(target);
    return new SshOptions(r.required("address"), r.port(), r.optional("user", "root"),
        Path.of(r.required("identityFile")), r.path("passphraseFile"), Path.of(r.required("knownHosts")),
        r.flag("trustOnFirstUse"), r.duration("connectTimeout", DEFAULT_CONNECT_TIMEOUT),
        r.duration("commandTimeout", DEFAULT_COMMAND_TIMEOUT));
  }

  /** "address:port", as messages show the server. */
  public String endpoint() {
    return address + ":" + port;
  }

  /** What a pooled connection is shared by: the same server and login, checked by the same files. */
  SshConnectionPool.Key poolKey() {
    return new SshConnectionPool.Key(address, port, user, identityFile, knownHosts);
  }

  /** Option reading with errors that name the target, the option and the fix. */
  private record Reader(TargetSpec target) {

    String required(String name) {
      String value = target.option(name);
      if (value == null || value.isBlank()) {
        throw invalid(name, null, "is missing");
      }
      return value.strip();
    }

    String optional(String name, String fallback) {
      String value = target.option(name);
      return value == null || value.isBlank() ? fallback : value.strip();
    }

    Path path(String name) {
      String value = optional(name, null);
      return value == null ? null : Path.of(value);
    }

    int port() {
      String value = optional("port", "22");
      try {
        int port = Integer.parseInt(value);
        if (port >= 1 && port <= 65535) {
          return port;
        }
      } catch (NumberFormatException ignored) {
        // reported below
      }
      throw invalid("port", value, "is not a port number (1-65535)");
    }

    boolean flag(String name) {
      String value = optional(name, "false");
      if (!value.equals("true") && !value.equals("false")) {
        throw invalid(name, value, "must be \"true\" or \"false\"");
      }
      return value.equals("true");
    }

    Duration duration(String name, Duration fallback) {
      String value = optional(name, null);
      if (value == null) {
        return fallback;
      }
      return Durations.parse(value).orElseThrow(() -> invalid(name, value, "is not a duration like 10s or 2m"));
    }

    TransportException invalid(String name, String value, String problem) {
      return new TransportException("option " + name + (value == null ? "" : " '" + value + "'") + " of target "
          + target.guestId() + " (transport " + target.transport() + ") " + problem + "; fix the inventory", false);
    }
  }
}
