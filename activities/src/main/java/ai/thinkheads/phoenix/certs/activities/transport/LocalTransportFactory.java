package ai.thinkheads.phoenix.certs.activities.transport;

import ai.thinkheads.phoenix.certs.workflows.model.TargetSpec;

/** The local machine as a target; stateless, so one transport serves every call. */
public final class LocalTransportFactory implements TransportFactory {

  @Override
  public String type() {
    return LocalTransport.TYPE;
  }

  @Override
  public Transport open(TargetSpec target) {
    return new LocalTransport(target.guestId());
  }
}
