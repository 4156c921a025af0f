package ai.thinkheads.phoenix.certs.worker.plugins;

import ai.thinkheads.phoenix.certs.activities.issuer.Issuer;
import ai.thinkheads.phoenix.certs.activities.issuer.LocalCaIssuer;
import ai.thinkheads.phoenix.certs.activities.issuer.stepca.StepCaConfig;
import ai.thinkheads.phoenix.certs.activities.issuer.stepca.StepCaIssuer;
import ai.thinkheads.phoenix.certs.activities.steps.CommandStep;
import ai.thinkheads.phoenix.certs.activities.steps.DockerReloader;
import ai.thinkheads.phoenix.certs.activities.steps.ReadbackVerifier;
import ai.thinkheads.phoenix.certs.activities.steps.SystemdReloader;
import ai.thinkheads.phoenix.certs.activities.steps.TlsVerifier;
import ai.thinkheads.phoenix.certs.activities.transport.LocalTransportFactory;
import ai.thinkheads.phoenix.certs.activities.transport.TransportFactory;
import ai.thinkheads.phoenix.certs.activities.transport.proxmox.ProxmoxTransportFactory;
import ai.thinkheads.phoenix.certs.activities.transport.ssh.SshConnectionPool;
import ai.thinkheads.phoenix.certs.activities.transport.ssh.SshTransportFactory;
import ai.thinkheads.phoenix.certs.worker.inventory.CaSettings;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;
import java.net.URI;
import java.nio.file.Path;

/** Every pluggable implementation, one bean each: registering a new kind of step is one method here. */
@Factory
public class StepBeans {

  @Singleton
  IssuerProvider localIssuer() {
    return new IssuerProvider() {
      @Override
      public String type() {
        return LocalCaIssuer.TYPE;
      }

      @Override
      public Issuer create(CaSettings settings) {
        return new LocalCaIssuer(Path.of(settings.dataDir()).toAbsolutePath().normalize(), settings.name());
      }
    };
  }

  /** step-ca: the root pinned by fingerprint; the provisioner key decrypted once, on first use. */
  @Singleton
  IssuerProvider stepCaIssuer() {
    return new IssuerProvider() {
      @Override
      public String type() {
        return StepCaIssuer.TYPE;
      }

      @Override
      public Issuer create(CaSettings ca) {
        Path passwordFile = ca.passwordFile() == null ? null : Path.of(ca.passwordFile());
        StepCaConfig config = ca.stepPath() != null
            ? StepCaConfig.fromStepPath(Path.of(ca.stepPath()), ca.provisioner(), passwordFile)
            : new StepCaConfig(URI.create(ca.url()), ca.fingerprint(), ca.provisioner(), passwordFile);
        return new StepCaIssuer(config);
      }
    };
  }

  @Singleton
  TransportFactory localTransport() {
    return new LocalTransportFactory();
  }

  /** One pool for ssh, pct and qm: a burst of steps on one guest or Proxmox host reuses one connection. */
  @Singleton
  @Bean(preDestroy = "close")
  SshConnectionPool sshConnections() {
    return new SshConnectionPool();
  }

  @Singleton
  TransportFactory sshTransport(SshConnectionPool pool) {
    return new SshTransportFactory(pool);
  }

  @Singleton
  TransportFactory pctTransport(SshConnectionPool pool) {
    return ProxmoxTransportFactory.pct(pool);
  }

  @Singleton
  TransportFactory qmTransport(SshConnectionPool pool) {
    return ProxmoxTransportFactory.qm(pool);
  }

  @Singleton
  CommandStep commandStep() {
    return new CommandStep();
  }

  @Singleton
  SystemdReloader systemdReloader() {
    return new SystemdReloader();
  }

  @Singleton
  DockerReloader dockerReloader() {
    return new DockerReloader();
  }

  @Singleton
  ReadbackVerifier readbackVerifier() {
    return new ReadbackVerifier();
  }

  @Singleton
  TlsVerifier tlsVerifier() {
    return new TlsVerifier();
  }
}
