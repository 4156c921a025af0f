package ai.thinkheads.phoenix.certs.activities.trust;

import java.util.Locale;

/** Reads the OS family from /etc/os-release: its ID, or failing that ID_LIKE. */
final class OsRelease {

  private OsRelease() {}

  static String family(String osRelease) {
    String id = "";
    String like = "";
    for (String line : osRelease.split("\n")) {
      if (line.startsWith("ID=")) {
        id = unquote(line.substring(3));
      } else if (line.startsWith("ID_LIKE=")) {
        like = unquote(line.substring(8));
      }
    }
    for (String candidate : (id + " " + like).split(" ")) {
      switch (candidate) {
        case "debian", "ubuntu" -> { return "debian"; }
        case "alpine" -> { return "alpine"; }
        case "rhel", "fedora", "centos", "rocky", "almalinux" -> { return "rhel"; }
        default -> { }
      }
    }
    return "unknown";
  }

  private static String unquote(String value) {
    return value.trim().replace("\"", "").replace("'", "").toLowerCase(Locale.ROOT);
  }
}
