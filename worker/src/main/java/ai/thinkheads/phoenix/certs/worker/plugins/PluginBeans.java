package ai.thinkheads.phoenix.certs.worker.plugins;

import ai.thinkheads.phoenix.certs.activities.plugin.BuiltInPlugins;
import ai.thinkheads.phoenix.certs.activities.plugin.Plugin;
import ai.thinkheads.phoenix.certs.activities.plugin.PluginRegistry;
import ai.thinkheads.phoenix.certs.activities.transport.ssh.SshConnectionPool;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;
import java.util.List;

/**
 * The worker's one {@link PluginRegistry}: the built-in plugins, plus any bean implementing {@link Plugin} (a
 * plugin shipped in its own jar, or a test's own, registers that way without a change here).
 */
@Factory
public class PluginBeans {

  /** One pool for ssh, pct and qm: a burst of steps on one guest or Proxmox host reuses one connection. */
  @Singleton
  @Bean(preDestroy = "close")
  SshConnectionPool sshConnections() {
    return new SshConnectionPool();
  }

  @Singleton
  PluginRegistry plugins(SshConnectionPool pool, List<Plugin> more) {
    return BuiltInPlugins.registry(pool).with(more);
  }
}
