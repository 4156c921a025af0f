package ai.thinkheads.phoenix.certs.activities.transport;

import ai.thinkheads.phoenix.certs.workflows.model.TargetSpec;

/** Opens transports of one {@link #type()} ("local", "ssh", "pct", "qm") for the targets the inventory names. */
public interface TransportFactory {

  String type();

  /** A transport to the target; cheap to call per activity (implementations pool their connections). */
  Transport open(TargetSpec target);
}
