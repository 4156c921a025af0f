package ai.thinkheads.phoenix.certs.activities.transport;

import ai.thinkheads.phoenix.certs.activities.plugin.Plugin;
import ai.thinkheads.phoenix.certs.activities.plugin.Settings;
import ai.thinkheads.phoenix.certs.workflows.model.TargetSpec;
import java.util.Set;

/**
 * A way to reach a guest ("local", "ssh", "pct", "qm"), as a guest entry's {@code transport} names it; the other
 * keys of the entry are its options, checked when the inventory is read. Opens transports to the targets it made.
 */
public interface TransportFactory extends Plugin {

  /** A transport to the target; cheap to call per activity (implementations pool their connections). */
  Transport open(TargetSpec target);

  /**
   * The target a guest's checked settings describe: what {@link #open} reads. The default carries the options
   * as written; the settings' facts name the guest ({@code guest}, {@code kind}, {@code vmid}).
   */
  default TargetSpec target(Settings settings) {
    return new TargetSpec(type(), settings.fact("guest"), settings.given());
  }

  /**
   * Whether a guest entry that names no transport means this one: the inventory's shorthand (an {@code address}
   * means ssh, {@code via} on an lxc means pct). {@code keys} are the entry's option keys.
   */
  default boolean impliedBy(String kind, Set<String> keys) {
    return false;
  }

  @Override
  default String label() {
    return "the " + type() + " transport";
  }
}
