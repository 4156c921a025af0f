package ai.thinkheads.phoenix.certs.activities.audit;

import java.util.Set;
import java.util.TreeMap;
import java.util.Map;

/** The TCP ports a guest listens on, read from {@code ss -ltnH}: port to the address it listens on. */
final class ListeningPorts {

  private ListeningPorts() {}

  /**
   * Each line's local address (4th column: "127.0.0.1:443", "[::]:443", "*:80", "0.0.0.0:22%lo"), by port; the
   * first address seen for a port wins, ports in {@code exclude} are left out.
   */
  static Map<Integer, String> parse(String ssOutput, Set<Integer> exclude) {
    Map<Integer, String> out = new TreeMap<>();
    for (String line : ssOutput.split("\n")) {
      String[] cols = line.trim().split("\\s+");
      if (cols.length < 4 || !cols[0].equals("LISTEN")) {
        continue;
      }
      String local = cols[3];
      int colon = local.lastIndexOf(':');
      if (colon <= 0) {
        continue;
      }
      int port;
      try {
        port = Integer.parseInt(local.substring(colon + 1));
      } catch (NumberFormatException e) {
        continue;
      }
      String host = local.substring(0, colon).replace("[", "").replace("]", "");
      int zone = host.indexOf('%');
      host = zone >= 0 ? host.substring(0, zone) : host;
      if (!exclude.contains(port)) {
        out.putIfAbsent(port, host);
      }
    }
    return out;
  }

  /** Whether {@code host} listens on every address (then the guest's own address is probed). */
  static boolean wildcard(String host) {
    return host.equals("*") || host.equals("0.0.0.0") || host.equals("::");
  }
}
