package ai.thinkheads.phoenix.certs.activities.transport;

import ai.thinkheads.phoenix.certs.workflows.model.TargetSpec;
import java.util.Set;

/** The local machine as a target ({@code kind: local}); stateless, so one transport serves every call. */
public final class LocalTransportFactory implements TransportFactory {

  @Override
  public String type() {
    return LocalTransport.TYPE;
  }

  @Override
  public boolean impliedBy(String kind, Set<String> keys) {
    return "local".equals(kind);
  }

  @Override
  public Transport open(TargetSpec target) {
    return new LocalTransport(target.guestId());
  }
}
