package ai.thinkheads.phoenix.certs.activities.transport.proxmox;

import ai.thinkheads.phoenix.certs.activities.transport.Transport;
import ai.thinkheads.phoenix.certs.activities.transport.TransportFactory;
import ai.thinkheads.phoenix.certs.activities.transport.remote.CommandRunner;
import ai.thinkheads.phoenix.certs.activities.transport.remote.RemoteTransport;
import ai.thinkheads.phoenix.certs.activities.transport.ssh.SshConnectionPool;
import ai.thinkheads.phoenix.certs.workflows.model.TargetSpec;
import java.util.function.Function;

/**
 * Guests reached through their Proxmox host over SSH; options: the host's SSH options and vmid. Type {@code pct}
 * for LXC containers ({@code pct exec}), {@code qm} for VMs (the QEMU guest agent).
 */
public final class ProxmoxTransportFactory implements TransportFactory {

  private final String type;
  private final SshConnectionPool pool;
  private final Function<ProxmoxGuest, CommandRunner> runner;

  private ProxmoxTransportFactory(String type, SshConnectionPool pool, Function<ProxmoxGuest, CommandRunner> runner) {
    this.type = type;
    this.pool = pool;
    this.runner = runner;
  }

  /** LXC containers: {@code pct exec <vmid> -- argv}. */
  public static ProxmoxTransportFactory pct(SshConnectionPool pool) {
    return new ProxmoxTransportFactory("pct", pool, PctCommandRunner::new);
  }

  /** VMs: {@code qm guest exec <vmid>}. */
  public static ProxmoxTransportFactory qm(SshConnectionPool pool) {
    return new ProxmoxTransportFactory("qm", pool, QmCommandRunner::new);
  }

  @Override
  public String type() {
    return type;
  }

  @Override
  public Transport open(TargetSpec target) {
    ProxmoxGuest guest = ProxmoxGuest.of(target, pool);
    return new RemoteTransport(runner.apply(guest), guest.host().options().commandTimeout());
  }
}
