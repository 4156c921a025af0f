package ai.thinkheads.phoenix.certs.activities.transport.proxmox;

import ai.thinkheads.phoenix.certs.activities.transport.remote.CommandRunner;
import ai.thinkheads.phoenix.certs.activities.transport.remote.RawResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs argv inside an LXC container with {@code pct exec <vmid> -- argv} on its Proxmox host. pct exec passes
 * stdin through and exits with the command's status, so file content streams in without ever being stored on
 * the host (which {@code pct push} would need: a private key would sit in the host's /tmp).
 */
final class PctCommandRunner implements CommandRunner {

  private final ProxmoxGuest guest;

  PctCommandRunner(ProxmoxGuest guest) {
    this.guest = guest;
  }

  @Override
  public String describe() {
    return guest.name() + " (pct exec " + guest.vmid() + " on " + guest.host().options().endpoint() + ")";
  }

  @Override
  public RawResult run(List<String> argv, byte[] stdin, Duration timeout) {
    List<String> pct = new ArrayList<>(List.of("pct", "exec", guest.vmid(), "--"));
    pct.addAll(argv);
    return guest.host().run(pct, stdin, timeout);
  }
}
