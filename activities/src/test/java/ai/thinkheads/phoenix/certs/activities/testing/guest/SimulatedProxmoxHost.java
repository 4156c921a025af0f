package ai.thinkheads.phoenix.certs.activities.testing.guest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A simulated Proxmox host: one more guest, reached over real SSH, whose logins get tools/guest/pve (stand-in
 * {@code pct} and {@code qm}) first on PATH and {@code PVE_SIM_GUESTS} pointing at a folder mapping each vmid
 * to a simulated guest. Both come from a forced command in authorized_keys, which then runs the client's
 * command line with bash exactly as a login shell would, so quoting is tested as on a real host.
 */
public final class SimulatedProxmoxHost {

  private final SimulatedGuest guest;
  private final Path vmids;

  private SimulatedProxmoxHost(SimulatedGuest guest, Path vmids) {
    this.guest = guest;
    this.vmids = vmids;
  }

  static SimulatedProxmoxHost start(Path repoRoot, Path dir, int port, ClientKeys keys, Path trustTemplate) {
    try {
      Path vmids = Files.createDirectories(dir.resolveSibling(dir.getFileName() + ".vmids"));
      String forced = "command=\"export PATH=" + repoRoot.resolve("tools/guest/pve")
          + ":/usr/sbin:/usr/bin:/sbin:/bin PVE_SIM_GUESTS=" + vmids
          + "; exec bash -c \\\"$SSH_ORIGINAL_COMMAND\\\"\" ";
      Path authorized = dir.resolveSibling(dir.getFileName() + ".authorized_keys");
      Files.writeString(authorized, keys.publicKeyLines().stream().map(l -> forced + l)
          .collect(Collectors.joining("\n", "", "\n")));
      return new SimulatedProxmoxHost(SimulatedGuest.start(repoRoot, dir, port, authorized, trustTemplate),
          vmids);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public SimulatedGuest guest() {
    return guest;
  }

  /** Makes {@code vmid} on this host name {@code target} for pct and qm. */
  public void map(int vmid, SimulatedGuest target) {
    try {
      Files.writeString(vmids.resolve(Integer.toString(vmid)), target.dir() + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The host's SSH options plus {@code vmid}: what a pct or qm target holds. */
  public Map<String, String> options(int vmid, Path identityFile) {
    Map<String, String> options = guest.sshOptions(identityFile);
    options.put("vmid", Integer.toString(vmid));
    return options;
  }
}
