package ai.thinkheads.phoenix.certs.activities.plugin;

import ai.thinkheads.phoenix.certs.workflows.model.Durations;
import java.net.URI;
import java.net.URISyntaxException;

/** What an option holds, and what the inventory's text for it must look like. */
public enum OptionKind {
  /** Any text (an {@link Option#matching} pattern or {@link Option#oneOf} choices narrow it). */
  TEXT,
  /** A file or directory name on the machine that uses it (a data directory, a webroot, a state file). */
  PATH,
  /**
   * A file (or directory) of the worker's that holds configuration it reads: a password, a key, known_hosts, a
   * root. Its content counts as part of the inventory: a failure that needs it changed is retried when it does.
   */
  CONFIG_FILE,
  /** "30s", "2m", "1h30m", "PT5M". */
  DURATION,
  /** 1 to 65535. */
  PORT,
  /** true or false. */
  FLAG,
  /** An http:// or https:// URL with a host. */
  URL,
  /** The name of an entry under {@code hosts:}; the reader hands the plugin that host's settings. */
  HOST;

  /** Why {@code value} is not of this kind, worded to follow "'value' is not ...", or null when it is. */
  String problem(String value) {
    return switch (this) {
      case TEXT, PATH, CONFIG_FILE, HOST -> value.isBlank() ? "a value" : null;
      case DURATION -> Durations.parse(value).isPresent() ? null : "a duration like 30s or 2m";
      case PORT -> port(value) > 0 ? null : "a port number (1 to 65535)";
      case FLAG -> "true".equals(value) || "false".equals(value) ? null : "true or false";
      case URL -> url(value) ? null : "an http:// or https:// URL";
    };
  }

  static int port(String value) {
    try {
      int port = Integer.parseInt(value.strip());
      return port >= 1 && port <= 65535 ? port : -1;
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static boolean url(String value) {
    try {
      URI uri = new URI(value.strip());
      return ("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) && uri.getHost() != null;
    } catch (URISyntaxException e) {
      return false;
    }
  }
}
