package ai.thinkheads.phoenix.certs.worker.inventory;

import ai.thinkheads.phoenix.certs.activities.estate.Guest;
import ai.thinkheads.phoenix.certs.worker.inventory.InventoryLoader.Located;
import ai.thinkheads.phoenix.certs.workflows.model.TargetSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/** Checks the guests and works out how each is reached (its transport and the transport's options). */
final class GuestValidator {

  static final Set<String> KINDS = Set.of("lxc", "vm", "host", "local");
  static final Set<String> TRUST_TARGETS = Set.of("system", "docker", "traefik");

  private final Problems problems;
  private final Function<String, Set<String>> knownTypes;

  GuestValidator(Problems problems, Function<String, Set<String>> knownTypes) {
    this.problems = problems;
    this.knownTypes = knownTypes;
  }

  List<Guest> validate(List<Located<Entries.Guest>> entries, Map<String, Entries.Host> hosts) {
    List<Guest> out = new ArrayList<>();
    Map<String, String> seenIds = new HashMap<>();
    Map<String, String> seenNames = new HashMap<>();
    for (Located<Entries.Guest> located : entries) {
      String at = located.pointer();
      Entries.Guest g = located.value();
      String kind = g.kind() == null ? (g.vmid() == null ? "local" : null) : g.kind();
      if (kind == null) {
        problems.at(at + "/kind", "missing: one of lxc, vm, host, local");
        continue;
      }
      if (!KINDS.contains(kind)) {
        problems.at(at + "/kind", "unknown kind '" + kind + "' (known: host, local, lxc, vm)");
        continue;
      }
      if (("lxc".equals(kind) || "vm".equals(kind)) && g.vmid() == null) {
        problems.at(at + "/vmid", "missing: an " + kind + " guest needs its Proxmox vmid");
        continue;
      }
      if (g.vmid() != null && (g.vmid() < 100 || g.vmid() > 999_999_999)) {
        problems.at(at + "/vmid", "'" + g.vmid() + "' is not a Proxmox vmid (100 to 999999999)");
        continue;
      }
      if (g.name() == null && g.vmid() == null) {
        problems.at(at + "/name", "missing: a guest needs a vmid or a name");
        continue;
      }
      String id = kind + "/" + (g.vmid() != null ? g.vmid() : g.name());
      String previous = seenIds.put(id, at);
      if (previous != null) {
        problems.at(at + (g.vmid() != null ? "/vmid" : "/name"), "duplicate guest " + id + " (first at "
            + Problems.fieldName(previous) + ")");
        continue;
      }
      if (g.name() != null && seenNames.put(g.name(), at) != null) {
        problems.at(at + "/name", "duplicate guest name '" + g.name() + "'");
        continue;
      }
      for (int i = 0; g.trust() != null && i < g.trust().size(); i++) {
        String trust = g.trust().get(i);
        if (!TRUST_TARGETS.contains(trust) && !trust.startsWith("/")) {
          problems.at(at + "/trust/" + i, "unknown trust target '" + trust
              + "' (known: system, docker, traefik, or an absolute path)");
        }
      }
      // Kept even when unreachable (target null, already reported), so certificates on it are not errors too.
      TargetSpec target = target(at, id, kind, g, hosts);
      out.add(new Guest(id, g.vmid(), g.name(), kind, target, g.trust() == null ? List.of() : g.trust()));
    }
    return out;
  }

  private TargetSpec target(String at, String id, String kind, Entries.Guest g, Map<String, Entries.Host> hosts) {
    String transport = g.transport();
    if (transport == null) {
      transport = "local".equals(kind) ? "local"
          : g.via() != null ? ("lxc".equals(kind) ? "pct" : "qm")
          : g.address() != null ? "ssh" : null;
    }
    if (transport == null) {
      problems.at(at, "say how to reach " + id + ": an address (ssh), or via: <host> (pct/qm through Proxmox)");
      return null;
    }
    Set<String> known = knownTypes.apply("transport");
    if (!known.contains(transport)) {
      problems.at(at + "/transport", "unknown transport '" + transport + "' (known: " + String.join(", ", known)
          + ")");
      return null;
    }
    Map<String, String> options = new LinkedHashMap<>();
    if ("pct".equals(transport) || "qm".equals(transport)) {
      if (g.via() == null) {
        problems.at(at + "/via", "missing: " + transport + " reaches " + id + " through a Proxmox host; name it");
        return null;
      }
      if (!hosts.containsKey(g.via())) {
        problems.at(at + "/via", "unknown host '" + g.via() + "' (known: " + String.join(", ", hosts.keySet()) + ")");
        return null;
      }
      Entries.Host host = hosts.get(g.via());
      if (host == null) {
        return null; // already reported where the host is defined
      }
      sshOptions(options, host.address(), host.port(), host.user(), host.identityFile(), host.passphraseFile(),
          host.knownHosts(), host.trustOnFirstUse());
      options.put("host", g.via());
      options.put("vmid", String.valueOf(g.vmid()));
    } else if ("ssh".equals(transport)) {
      if (g.address() == null) {
        problems.at(at + "/address", "missing: the address to reach " + id + " over ssh");
        return null;
      }
      sshOptions(options, g.address(), g.port(), g.user(), g.identityFile(), g.passphraseFile(), g.knownHosts(),
          g.trustOnFirstUse());
    }
    return new TargetSpec(transport, id, options);
  }

  private static void sshOptions(Map<String, String> options, String address, Integer port, String user,
      String identityFile, String passphraseFile, String knownHosts, Boolean trustOnFirstUse) {
    options.put("address", address);
    options.put("port", String.valueOf(port == null ? 22 : port));
    options.put("user", user == null ? "root" : user);
    putIfSet(options, "identityFile", identityFile);
    putIfSet(options, "passphraseFile", passphraseFile);
    putIfSet(options, "knownHosts", knownHosts);
    if (Boolean.TRUE.equals(trustOnFirstUse)) {
      options.put("trustOnFirstUse", "true");
    }
  }

  private static void putIfSet(Map<String, String> options, String key, String value) {
    if (value != null) {
      options.put(key, value);
    }
  }
}
