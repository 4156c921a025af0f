package ai.thinkheads.phoenix.certs.activities.transport.proxmox;

import ai.thinkheads.phoenix.certs.activities.transport.Transport;
import ai.thinkheads.phoenix.certs.activities.transport.TransportFactory;
import ai.thinkheads.phoenix.certs.activities.transport.remote.RemoteTransport;
import ai.thinkheads.phoenix.certs.activities.transport.ssh.SshConnectionPool;
import ai.thinkheads.phoenix.certs.workflows.model.TargetSpec;

/** LXC containers through their Proxmox host: type {@code pct}; options: the host's SSH options and vmid. */
public final class PctTransportFactory implements TransportFactory {

  public static final String TYPE = "pct";

  private final SshConnectionPool pool;

  public PctTransportFactory(SshConnectionPool pool) {
    this.pool = pool;
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public Transport open(TargetSpec target) {
    ProxmoxGuest guest = ProxmoxGuest.of(target, pool);
    return new RemoteTransport(new PctCommandRunner(guest), guest.host().options().commandTimeout());
  }
}
