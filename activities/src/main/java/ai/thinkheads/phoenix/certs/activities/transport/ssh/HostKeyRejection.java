package ai.thinkheads.phoenix.certs.activities.transport.ssh;

import java.nio.file.Path;
import java.util.List;

/**
 * Why a server's host key was refused: unknown (no line for the host in known_hosts) or changed (lines for the
 * host, none matching). Both are final: retrying cannot make a key trustworthy.
 */
record HostKeyRejection(boolean changed, String keyType, String actual, List<String> expected, Path knownHosts) {

  String message(String target) {
    if (changed) {
      return "host key for " + target + " changed: expected " + String.join(" or ", expected) + ", got " + actual
          + " (" + keyType + "); refusing to connect. If the server was really reinstalled, check the new key out "
          + "of band and replace its line in " + knownHosts;
    }
    return "host key for " + target + " is unknown: got " + actual + " (" + keyType + "), no entry in "
        + knownHosts + "; refusing to connect. Add the server's key there (checked out of band) or set "
        + "trustOnFirstUse: \"true\" for this target";
  }
}
