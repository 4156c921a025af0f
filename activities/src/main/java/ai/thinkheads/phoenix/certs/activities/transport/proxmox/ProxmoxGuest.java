package ai.thinkheads.phoenix.certs.activities.transport.proxmox;

import ai.thinkheads.phoenix.certs.activities.transport.TransportException;
import ai.thinkheads.phoenix.certs.activities.transport.ssh.SshCommandRunner;
import ai.thinkheads.phoenix.certs.activities.transport.ssh.SshConnectionPool;
import ai.thinkheads.phoenix.certs.activities.transport.ssh.SshOptions;
import ai.thinkheads.phoenix.certs.workflows.model.TargetSpec;
import java.util.regex.Pattern;

/**
 * A guest reached through its Proxmox host: the host's SSH options (the ssh transport's names) plus
 * {@code vmid}. The vmid is checked to be a number before it is put on any command line.
 */
record ProxmoxGuest(String vmid, String name, SshCommandRunner host) {

  private static final Pattern VMID = Pattern.compile("[1-9][0-9]{0,8}");

  static ProxmoxGuest of(TargetSpec target, SshConnectionPool pool) {
    String vmid = target.option("vmid");
    if (vmid == null || !VMID.matcher(vmid.strip()).matches()) {
      throw new TransportException("option vmid '" + vmid + "' of target " + target.guestId() + " (transport "
          + target.transport() + ") is not a Proxmox VM id (a number like 101); fix the inventory", false);
    }
    SshOptions options = SshOptions.from(target);
    SshCommandRunner host = new SshCommandRunner(pool, options,
        "the Proxmox host of " + target.guestId() + " (" + options.endpoint() + ")");
    return new ProxmoxGuest(vmid.strip(), target.guestId(), host);
  }
}
