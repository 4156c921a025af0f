package ai.thinkheads.phoenix.certs.activities.transport.ssh;

import ai.thinkheads.phoenix.certs.activities.transport.Transport;
import ai.thinkheads.phoenix.certs.activities.transport.TransportFactory;
import ai.thinkheads.phoenix.certs.activities.transport.remote.RemoteTransport;
import ai.thinkheads.phoenix.certs.workflows.model.TargetSpec;

/** Guests reached directly over SSH: type {@code ssh}, options as {@link SshOptions} lists them. */
public final class SshTransportFactory implements TransportFactory {

  public static final String TYPE = "ssh";

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
  public Transport open(TargetSpec target) {
    SshOptions options = SshOptions.from(target);
    SshCommandRunner runner = new SshCommandRunner(pool, options,
        target.guestId() + " (" + options.endpoint() + ")");
    return new RemoteTransport(runner, options.commandTimeout());
  }
}
