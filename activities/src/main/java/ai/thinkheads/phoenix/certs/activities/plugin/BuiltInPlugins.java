package ai.thinkheads.phoenix.certs.activities.plugin;

import ai.thinkheads.phoenix.certs.activities.audit.AcmeJsonSource;
import ai.thinkheads.phoenix.certs.activities.audit.CaSource;
import ai.thinkheads.phoenix.certs.activities.audit.EndpointSource;
import ai.thinkheads.phoenix.certs.activities.audit.FilesSource;
import ai.thinkheads.phoenix.certs.activities.audit.ManagedSource;
import ai.thinkheads.phoenix.certs.activities.audit.PortsSource;
import ai.thinkheads.phoenix.certs.activities.audit.TrustSource;
import ai.thinkheads.phoenix.certs.activities.issuer.LocalCaPlugin;
import ai.thinkheads.phoenix.certs.activities.issuer.acme.AcmePlugin;
import ai.thinkheads.phoenix.certs.activities.issuer.stepca.StepCaPlugin;
import ai.thinkheads.phoenix.certs.activities.steps.CommandStep;
import ai.thinkheads.phoenix.certs.activities.steps.DockerReloader;
import ai.thinkheads.phoenix.certs.activities.steps.ReadbackVerifier;
import ai.thinkheads.phoenix.certs.activities.steps.SystemdReloader;
import ai.thinkheads.phoenix.certs.activities.steps.TlsVerifier;
import ai.thinkheads.phoenix.certs.activities.transport.LocalTransportFactory;
import ai.thinkheads.phoenix.certs.activities.transport.proxmox.ProxmoxTransportFactory;
import ai.thinkheads.phoenix.certs.activities.transport.ssh.SshConnectionPool;
import ai.thinkheads.phoenix.certs.activities.transport.ssh.SshTransportFactory;
import java.util.List;

/** The plugins phoenix-certs ships: registering a new one is a line here. */
public final class BuiltInPlugins {

  private BuiltInPlugins() {}

  /** {@code pool}: one SSH pool for ssh, pct and qm, so the containers behind one host share its connection. */
  public static List<Plugin> all(SshConnectionPool pool) {
    return List.of(
        new LocalCaPlugin(),
        new StepCaPlugin(),
        new AcmePlugin(),
        new LocalTransportFactory(),
        new SshTransportFactory(pool),
        ProxmoxTransportFactory.pct(pool),
        ProxmoxTransportFactory.qm(pool),
        new CommandStep(),
        new SystemdReloader(),
        new DockerReloader(),
        new ReadbackVerifier(),
        new TlsVerifier(),
        new CaSource(),
        new ManagedSource(),
        new TrustSource(),
        new AcmeJsonSource(),
        new EndpointSource(),
        new FilesSource(),
        new PortsSource());
  }

  public static PluginRegistry registry(SshConnectionPool pool) {
    return PluginRegistry.of(all(pool));
  }
}
