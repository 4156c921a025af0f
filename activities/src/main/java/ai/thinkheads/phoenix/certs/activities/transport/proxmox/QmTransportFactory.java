package ai.thinkheads.phoenix.certs.activities.transport.proxmox;

import ai.thinkheads.phoenix.certs.activities.transport.Transport;
import ai.thinkheads.phoenix.certs.activities.transport.TransportFactory;
import ai.thinkheads.phoenix.certs.activities.transport.remote.RemoteTransport;
import ai.thinkheads.phoenix.certs.activities.transport.ssh.SshConnectionPool;
import ai.thinkheads.phoenix.certs.workflows.model.TargetSpec;

/** VMs through the QEMU guest agent on their Proxmox host: type {@code qm}; options: the host's SSH options and vmid. */
public final class QmTransportFactory implements TransportFactory {

  public static final String TYPE = "qm";

  private final SshConnectionPool pool;

  public QmTransportFactory(SshConnectionPool pool) {
    this.pool = pool;
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public Transport open(TargetSpec target) {
    ProxmoxGuest guest = ProxmoxGuest.of(target, pool);
    return new RemoteTransport(new QmCommandRunner(guest), guest.host().options().commandTimeout());
  }
}
