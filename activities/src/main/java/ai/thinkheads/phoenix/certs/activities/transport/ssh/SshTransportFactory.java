package ai.thinkheads.phoenix.certs.activities.transport.ssh;

import ai.thinkheads.phoenix.certs.activities.plugin.Option;
import ai.thinkheads.phoenix.certs.activities.plugin.Settings;
import ai.thinkheads.phoenix.certs.activities.transport.Transport;
import ai.thinkheads.phoenix.certs.activities.transport.TransportFactory;
import ai.thinkheads.phoenix.certs.activities.transport.remote.RemoteTransport;
import ai.thinkheads.phoenix.certs.workflows.model.TargetSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Guests reached directly over SSH: type {@code ssh}, options as {@link SshOptions} lists them (also the options
 * of a Proxmox host under {@code hosts:}). An {@code address} without a transport means ssh.
 */
public final class SshTransportFactory implements TransportFactory {

  public static final String TYPE = "ssh";

  /** What an SSH endpoint takes: key files are named, never inlined (the options are stored in history). */
  static final List<Option> OPTIONS = List.of(
      Option.text("address").required("pve.internal.thinkheads.ai"),
      Option.port("port").orElse("22"),
      Option.text("user").orElse("root"),
      Option.configFile("identityFile").required("/etc/phoenix-certs/ssh_identity"),
      Option.configFile("passphraseFile"),
      Option.configFile("knownHosts").required("/etc/phoenix-certs/ssh_known_hosts"),
      Option.flag("trustOnFirstUse").orElse("false"),
      Option.duration("connectTimeout").orElse("10s"),
      Option.duration("commandTimeout").orElse("60s"));

  private final SshConnectionPool pool;

  /** {@code pool} is shared with the pct and qm factories and closed by whoever created it. */
  public SshTransportFactory(SshConnectionPool pool) {
    this.pool = pool;
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public List<Option> options() {
    return OPTIONS;
  }

  @Override
  public boolean impliedBy(String kind, Set<String> keys) {
    return !"local".equals(kind) && keys.contains("address") && !keys.contains("via");
  }

  @Override
  public TargetSpec target(Settings settings) {
    return new TargetSpec(TYPE, settings.fact("guest"), endpoint(settings));
  }

  /**
   * The SSH options of checked {@code settings} as a target carries them: address, port and user always, the
   * files when given, trustOnFirstUse only when true.
   */
  public static Map<String, String> endpoint(Settings settings) {
    Map<String, String> out = new LinkedHashMap<>();
    out.put("address", settings.get("address"));
    out.put("port", Integer.toString(settings.port("port")));
    out.put("user", settings.get("user"));
    for (String name : List.of("identityFile", "passphraseFile", "knownHosts", "connectTimeout", "commandTimeout")) {
      if (settings.has(name)) {
        out.put(name, settings.get(name));
      }
    }
    if (settings.flag("trustOnFirstUse")) {
      out.put("trustOnFirstUse", "true");
    }
    return out;
  }

  @Override
  public Transport open(TargetSpec target) {
    SshOptions options = SshOptions.from(target);
    SshCommandRunner runner = new SshCommandRunner(pool, options,
        target.guestId() + " (" + options.endpoint() + ")");
    return new RemoteTransport(runner, options.commandTimeout());
  }
}
