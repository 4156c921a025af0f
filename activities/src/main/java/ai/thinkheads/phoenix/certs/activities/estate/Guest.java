package ai.thinkheads.phoenix.certs.activities.estate;

import ai.thinkheads.phoenix.certs.workflows.guest.TrustTarget;
import ai.thinkheads.phoenix.certs.workflows.model.TargetSpec;
import java.util.List;

/**
 * A guest (container, VM, the Proxmox host or this machine) as the inventory lists it: its id ("lxc/101"), how to
 * reach it, and the trust stores that must hold the root (empty: the system store).
 */
public record Guest(String id, Integer vmid, String name, String kind, TargetSpec target, List<String> trust) {

  public Guest {
    trust = trust == null ? List.of() : List.copyOf(trust);
  }

  /** Whether the inventory lists this guest by {@code ref}: its vmid, its name, or its id. */
  public boolean answersTo(String ref) {
    return ref != null && (ref.equals(id) || ref.equals(name) || (vmid != null && ref.equals(String.valueOf(vmid))));
  }

  /** The trust stores that must hold the root: those listed, or the system store when none is. */
  public List<TrustTarget> stores() {
    return trust.isEmpty() ? List.of(new TrustTarget(TrustTarget.SYSTEM, null))
        : trust.stream().map(TrustTarget::of).toList();
  }

  /** The vmid, else the name: what {@code guest/<ref>} and the hookscript call it. */
  public String ref() {
    return vmid != null ? String.valueOf(vmid) : name;
  }
}
