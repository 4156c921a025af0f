package ai.thinkheads.phoenix.certs.worker.inventory;

import ai.thinkheads.phoenix.certs.workflows.model.TargetSpec;
import java.util.List;

/** A guest (container, VM, the Proxmox host or this machine) and how to reach it. */
public record Guest(String id, Integer vmid, String name, String kind, TargetSpec target, List<String> trust) {}
