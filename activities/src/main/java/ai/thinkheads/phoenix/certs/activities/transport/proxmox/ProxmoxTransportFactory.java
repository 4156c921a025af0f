package ai.thinkheads.phoenix.certs.activities.transport.proxmox;

import ai.thinkheads.phoenix.certs.activities.plugin.Option;
import ai.thinkheads.phoenix.certs.activities.plugin.Settings;
import ai.thinkheads.phoenix.certs.activities.plugin.SpecProblem;
import ai.thinkheads.phoenix.certs.activities.transport.Transport;
import ai.thinkheads.phoenix.certs.activities.transport.TransportFactory;
import ai.thinkheads.phoenix.certs.activities.transport.remote.CommandRunner;
import ai.thinkheads.phoenix.certs.activities.transport.remote.RemoteTransport;
import ai.thinkheads.phoenix.certs.activities.transport.ssh.SshConnectionPool;
import ai.thinkheads.phoenix.certs.activities.transport.ssh.SshTransportFactory;
import ai.thinkheads.phoenix.certs.workflows.model.TargetSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Guests reached through their Proxmox host over SSH: option {@code via}, the host under {@code hosts:} (whose
 * SSH options the target carries), and the guest's vmid. Type {@code pct} for LXC containers ({@code pct exec}),
 * {@code qm} for VMs (the QEMU guest agent); {@code via} on an lxc or vm guest means pct or qm.
 */
public final class ProxmoxTransportFactory implements TransportFactory {

  private final String type;
  private final String kind;
  private final SshConnectionPool pool;
  private final Function<ProxmoxGuest, CommandRunner> runner;

  private ProxmoxTransportFactory(String type, String kind, SshConnectionPool pool,
      Function<ProxmoxGuest, CommandRunner> runner) {
    this.type = type;
    this.kind = kind;
    this.pool = pool;
    this.runner = runner;
  }

  /** LXC containers: {@code pct exec <vmid> -- argv}. */
  public static ProxmoxTransportFactory pct(SshConnectionPool pool) {
    return new ProxmoxTransportFactory("pct", "lxc", pool, PctCommandRunner::new);
  }

  /** VMs: {@code qm guest exec <vmid>}. */
  public static ProxmoxTransportFactory qm(SshConnectionPool pool) {
    return new ProxmoxTransportFactory("qm", "vm", pool, QmCommandRunner::new);
  }

  @Override
  public String type() {
    return type;
  }

  @Override
  public List<Option> options() {
    return List.of(Option.host("via").required("pve"));
  }

  @Override
  public List<SpecProblem> check(Settings settings) {
    if (settings.fact("vmid") == null) {
      return List.of(new SpecProblem("via", type + " reaches " + settings.fact("guest") + " through its Proxmox host "
          + "by vmid, and this guest has none: give it its vmid"));
    }
    return List.of();
  }

  @Override
  public boolean impliedBy(String guestKind, Set<String> keys) {
    return kind.equals(guestKind) && keys.contains("via");
  }

  /** The host's SSH options, its name, and the guest's vmid. */
  @Override
  public TargetSpec target(Settings settings) {
    Map<String, String> options = new LinkedHashMap<>(SshTransportFactory.endpoint(settings.reference("via")));
    options.put("host", settings.get("via"));
    options.put("vmid", settings.fact("vmid"));
    return new TargetSpec(type, settings.fact("guest"), options);
  }

  @Override
  public Transport open(TargetSpec target) {
    ProxmoxGuest guest = ProxmoxGuest.of(target, pool);
    return new RemoteTransport(runner.apply(guest), guest.host().options().commandTimeout());
  }
}
