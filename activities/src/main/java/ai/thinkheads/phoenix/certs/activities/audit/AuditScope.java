package ai.thinkheads.phoenix.certs.activities.audit;

import ai.thinkheads.phoenix.certs.activities.estate.Estate;
import ai.thinkheads.phoenix.certs.activities.estate.Guest;
import ai.thinkheads.phoenix.certs.activities.plugin.PluginRegistry;
import ai.thinkheads.phoenix.certs.activities.transport.Transport;
import java.security.cert.X509Certificate;
import java.time.Instant;

/**
 * What a source works with in one task: the worker's inventory snapshot, the guest (null for a source run from the
 * worker), a transport to it opened on first use, the pinned root, and whether a workflow runs.
 */
public final class AuditScope {

  private final Estate estate;
  private final Guest guest;
  private final PluginRegistry plugins;
  private final WorkflowProbe workflows;
  private final Instant now;
  private Transport transport;

  public AuditScope(Estate estate, Guest guest, PluginRegistry plugins, WorkflowProbe workflows, Instant now) {
    this.estate = estate;
    this.guest = guest;
    this.plugins = plugins;
    this.workflows = workflows;
    this.now = now;
  }

  public Estate estate() {
    return estate;
  }

  public Guest guest() {
    return guest;
  }

  public Instant now() {
    return now;
  }

  public X509Certificate pinnedRoot() {
    return estate.issuer().root();
  }

  /** The guest's transport, as its inventory entry says (the same plugins the renewals use). */
  public synchronized Transport transport() {
    if (guest == null) {
      throw new IllegalStateException("a source run from the worker has no guest transport");
    }
    if (guest.target() == null) {
      throw new IllegalStateException(guest.id() + " has no usable transport in the inventory");
    }
    if (transport == null) {
      transport = plugins.transport(guest.target().transport()).open(guest.target());
    }
    return transport;
  }

  /** Whether {@code workflowId} runs; null when that cannot be told. */
  public Boolean running(String workflowId) {
    return workflows == null ? null : workflows.running(workflowId);
  }
}
