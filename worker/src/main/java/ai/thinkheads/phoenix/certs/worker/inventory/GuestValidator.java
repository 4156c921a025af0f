package ai.thinkheads.phoenix.certs.worker.inventory;

import ai.thinkheads.phoenix.certs.activities.estate.Guest;
import ai.thinkheads.phoenix.certs.activities.plugin.Family;
import ai.thinkheads.phoenix.certs.activities.plugin.Option;
import ai.thinkheads.phoenix.certs.activities.plugin.OptionKind;
import ai.thinkheads.phoenix.certs.activities.plugin.Plugin;
import ai.thinkheads.phoenix.certs.activities.plugin.Settings;
import ai.thinkheads.phoenix.certs.activities.transport.TransportFactory;
import ai.thinkheads.phoenix.certs.worker.inventory.InventoryLoader.Located;
import ai.thinkheads.phoenix.certs.workflows.model.TargetSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Checks the guests and the hosts, and works out how each guest is reached (its transport plugin's target). */
final class GuestValidator {

  static final Set<String> KINDS = Set.of("lxc", "vm", "host", "local");
  static final Set<String> TRUST_TARGETS = Set.of("system", "docker", "traefik");

  /** The transport hosts under {@code hosts:} are reached with. */
  static final String SSH = "ssh";

  private final Problems problems;
  private final PluginReader reader;

  GuestValidator(Problems problems, PluginReader reader) {
    this.problems = problems;
    this.reader = reader;
  }

  List<Guest> validate(List<Located<Entries.Guest>> entries, Map<String, Settings> hosts) {
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

  /**
   * How {@code id} is reached: its transport plugin (named, or implied by the entry's keys) with the entry's other
   * keys as its options, checked by that plugin; an option naming a host gets that host's settings.
   */
  private TargetSpec target(String at, String id, String kind, Entries.Guest g, Map<String, Settings> hosts) {
    PluginReader.Options options = reader.options(at, g.options(), g.flat());
    if (options == null) {
      return null;
    }
    String transport = g.transport() != null ? g.transport() : implied(at, id, kind, options.values().keySet());
    if (transport == null) {
      return null;
    }
    Optional<Plugin> plugin = reader.plugin(Family.TRANSPORT, transport, at + "/transport");
    if (plugin.isEmpty()) {
      return null;
    }
    Map<String, Settings> references = new HashMap<>();
    for (Option option : plugin.get().options()) {
      String host = options.values().get(option.name());
      if (option.kind() != OptionKind.HOST || host == null) {
        continue;
      }
      if (!hosts.containsKey(host)) {
        problems.at(options.where().get(option.name()), "unknown host '" + host + "' (" + (hosts.isEmpty()
            ? "define it under hosts:" : "known: " + String.join(", ", hosts.keySet())) + ")");
        return null;
      }
      if (hosts.get(host) == null) {
        return null; // already reported where the host is defined
      }
      references.put(option.name(), hosts.get(host));
    }
    Map<String, String> facts = new HashMap<>(Map.of("guest", id, "kind", kind));
    if (g.vmid() != null) {
      facts.put("vmid", String.valueOf(g.vmid()));
    }
    Settings settings = reader.check(plugin.get(), at, options, Settings.of(plugin.get(), options.values())
        .withFacts(facts).withReferences(references));
    return settings == null ? null : ((TransportFactory) plugin.get()).target(settings);
  }

  /** The one transport the entry's keys imply when it names none (an address: ssh); null (reported) otherwise. */
  private String implied(String at, String id, String kind, Set<String> keys) {
    List<String> candidates = reader.plugins().types(Family.TRANSPORT).stream()
        .filter(type -> reader.plugins().transport(type).impliedBy(kind, keys)).toList();
    if (candidates.size() == 1) {
      return candidates.get(0);
    }
    problems.at(at, candidates.isEmpty()
        ? "say how to reach " + id + ": transport: one of " + String.join(", ", reader.plugins().types(
            Family.TRANSPORT)) + " (an address alone means ssh; via: <host> on an lxc or vm means pct or qm)"
        : "say how to reach " + id + ": its keys fit the transports " + String.join(", ", candidates)
            + "; name one with transport:");
    return null;
  }

  /**
   * The Proxmox hosts under {@code hosts:}, each reached over ssh with the ssh transport's options; a broken entry
   * maps to null (reported), so references to it are not errors too.
   */
  Map<String, Settings> hosts(Map<String, Entries.Host> entries) {
    Map<String, Settings> out = new LinkedHashMap<>();
    Optional<Plugin> ssh = reader.plugins().find(Family.TRANSPORT, SSH);
    entries.forEach((name, host) -> {
      String at = "/hosts/" + PluginReader.pointerPart(name);
      out.put(name, null);
      if (host == null) {
        return;
      }
      if (host.transport() != null && !SSH.equals(host.transport())) {
        problems.at(at + "/transport", "hosts are reached over ssh; '" + host.transport() + "' is not supported");
        return;
      }
      if (ssh.isEmpty()) {
        problems.at(at, "hosts are reached over ssh, and this worker has no ssh transport");
        return;
      }
      PluginReader.Options options = reader.options(at, host.options(), host.flat());
      if (options != null) {
        out.put(name, reader.check(ssh.get(), at, options, Settings.of(ssh.get(), options.values())
            .withFacts(Map.of("guest", "host " + name, "kind", "host"))));
      }
    });
    return out;
  }
}
