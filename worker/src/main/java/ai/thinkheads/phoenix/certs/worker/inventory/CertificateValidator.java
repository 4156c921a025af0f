package ai.thinkheads.phoenix.certs.worker.inventory;

import ai.thinkheads.phoenix.certs.activities.estate.Guest;
import ai.thinkheads.phoenix.certs.activities.plugin.Family;
import ai.thinkheads.phoenix.certs.activities.plugin.Plugin;
import ai.thinkheads.phoenix.certs.activities.plugin.Settings;
import ai.thinkheads.phoenix.certs.activities.plugin.SpecProblem;
import ai.thinkheads.phoenix.certs.worker.inventory.InventoryLoader.Located;
import ai.thinkheads.phoenix.certs.workflows.model.CertificateFiles;
import ai.thinkheads.phoenix.certs.workflows.model.CertificateSpec;
import ai.thinkheads.phoenix.certs.workflows.model.Durations;
import ai.thinkheads.phoenix.certs.workflows.model.KeyAlgorithm;
import ai.thinkheads.phoenix.certs.workflows.model.KeyUsage;
import ai.thinkheads.phoenix.certs.workflows.model.StepSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/** Checks each certificate entry and turns it into the {@link CertificateSpec} its workflow runs on. */
final class CertificateValidator {

  private static final Pattern NAME = Pattern.compile("^[a-z0-9][a-z0-9._-]{0,62}$");
  private static final Pattern DNS = Pattern.compile(
      "^(\\*\\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$");
  private static final Pattern IP = Pattern.compile("^(\\d{1,3}(\\.\\d{1,3}){3}|[0-9a-fA-F:]*:[0-9a-fA-F:.]*)$");
  private static final Pattern MODE = Pattern.compile("^0?[0-7]{3}$");

  private final Problems problems;
  private final PluginReader reader;
  /** The issuer's checked settings; null when the ca section is broken (reported there). */
  private final Settings ca;

  CertificateValidator(Problems problems, PluginReader reader, Settings ca) {
    this.problems = problems;
    this.reader = reader;
    this.ca = ca;
  }

  List<CertificateSpec> validate(List<Located<Entries.Certificate>> entries, Entries.Defaults defaults,
      List<Guest> guests) {
    Policy policy = defaults(defaults);
    Map<String, Guest> byRef = new HashMap<>();
    for (Guest guest : guests) {
      if (guest.vmid() != null) {
        byRef.put(String.valueOf(guest.vmid()), guest);
      }
      if (guest.name() != null) {
        byRef.put(guest.name(), guest);
      }
      byRef.put(guest.id(), guest);
    }
    Map<String, String> names = new HashMap<>();
    Map<String, String> paths = new HashMap<>();
    List<CertificateSpec> out = new ArrayList<>();
    for (Located<Entries.Certificate> located : entries) {
      int before = problemCount();
      List<String> after = after(located, entries, names);
      CertificateSpec spec = certificate(located.pointer(), located.value(), after, policy, byRef, names, paths);
      if (spec != null && problemCount() == before) {
        out.add(spec);
      }
    }
    return out;
  }

  /**
   * The certificates this one comes after. Each must be listed earlier: the inventory's order is then the order
   * of renewal, and no cycle can be written. {@code names} holds the certificates read before this one.
   */
  private List<String> after(Located<Entries.Certificate> located, List<Located<Entries.Certificate>> entries,
      Map<String, String> names) {
    Entries.Certificate c = located.value();
    if (c.after() == null) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < c.after().size(); i++) {
      String at = located.pointer() + (c.after().size() == 1 ? "/after" : "/after/" + i);
      String other = c.after().get(i);
      if (other == null || other.isBlank()) {
        problems.at(at, "missing: the name of a certificate listed earlier");
      } else if (other.equals(c.name())) {
        problems.at(at, "a certificate cannot come after itself");
      } else if (out.contains(other)) {
        problems.at(at, "'" + other + "' is named twice");
      } else if (names.containsKey(other)) {
        out.add(other);
      } else {
        Located<Entries.Certificate> later = entries.stream()
            .filter(e -> other.equals(e.value().name())).findFirst().orElse(null);
        if (later == null) {
          problems.at(at, "unknown certificate '" + other + "' (after names a certificate listed earlier)");
        } else {
          problems.at(at, "'" + other + "' is listed later (" + Problems.fieldName(later.pointer())
              + "): after names a certificate listed earlier, so that the inventory's order is the renewal order"
              + cycle(c.name(), other, entries));
        }
      }
    }
    return out;
  }

  /** "; that makes a cycle: a -> b -> a" when {@code other}, through its own after, comes back to {@code name}. */
  private static String cycle(String name, String other, List<Located<Entries.Certificate>> entries) {
    Map<String, List<String>> graph = new HashMap<>();
    for (Located<Entries.Certificate> e : entries) {
      if (e.value().name() != null && e.value().after() != null) {
        graph.putIfAbsent(e.value().name(), e.value().after());
      }
    }
    List<String> path = new ArrayList<>(List.of(name, other));
    return walk(graph, path, name) ? "; that makes a cycle: " + String.join(" -> ", path) : "";
  }

  /** Depth-first from the last name of {@code path}; true (with {@code path} ending in {@code target}) if found. */
  private static boolean walk(Map<String, List<String>> graph, List<String> path, String target) {
    String last = path.get(path.size() - 1);
    if (last.equals(target) && path.size() > 1) {
      return true;
    }
    for (String next : graph.getOrDefault(last, List.of())) {
      if (next == null || (path.contains(next) && !next.equals(target))) {
        continue;
      }
      path.add(next);
      if (walk(graph, path, target)) {
        return true;
      }
      path.remove(path.size() - 1);
    }
    return false;
  }

  private int problemCount() {
    return problems.count();
  }

  private CertificateSpec certificate(String at, Entries.Certificate c, List<String> after, Policy policy,
      Map<String, Guest> guests, Map<String, String> names, Map<String, String> paths) {
    if (c.name() == null) {
      problems.at(at + "/name", "missing: every certificate needs a name (it becomes the workflow ID cert/<name>)");
    } else if (!NAME.matcher(c.name()).matches()) {
      problems.at(at + "/name", "'" + c.name() + "' is not a usable name: lower-case letters, digits, '.', '_', "
          + "'-', at most 63");
    } else if (names.putIfAbsent(c.name(), at) != null) {
      problems.at(at + "/name", "duplicate certificate name '" + c.name() + "' (first at "
          + Problems.fieldName(names.get(c.name())) + ")");
    }
    Guest guest = null;
    if (c.guest() == null) {
      problems.at(at + "/guest", "missing: the vmid or name of the guest that holds this certificate");
    } else {
      guest = guests.get(c.guest());
      if (guest == null) {
        problems.at(at + "/guest", "unknown guest '" + c.guest() + "' (define it under guests)");
      }
    }
    List<String> sans = sans(at, c.sans());
    KeyAlgorithm key = keyAlgorithm(at + "/key", c.key() != null ? c.key() : policy.key());
    List<KeyUsage> usages = usages(at, c.usage());
    Duration lifetime = c.lifetime() != null ? duration(at + "/lifetime", c.lifetime()) : policy.lifetime();
    double renewAt = c.renewAt() != null ? fraction(at + "/renewAt", c.renewAt()) : policy.renewAt();
    Duration renewBefore = c.renewBefore() != null ? duration(at + "/renewBefore", c.renewBefore())
        : policy.renewBefore();
    if (lifetime != null && renewBefore != null && renewBefore.compareTo(lifetime) >= 0) {
      problems.at(at + (c.renewBefore() != null ? "/renewBefore" : "/lifetime"), "renewBefore (" + renewBefore
          + ") must be shorter than the lifetime (" + lifetime + ")");
    }
    CertificateFiles files = files(at + "/files", c.files(), guest, paths);
    StepSpec validate = step(at + "/validate", c.validate(), "validate", null);
    StepSpec reload = step(at + "/reload", c.reload(), "reload", null);
    StepSpec verify = step(at + "/verify", c.verify(), "verify", "readback");
    if (guest == null || guest.target() == null || sans == null || files == null || ca == null
        || c.name() == null) {
      return null;
    }
    String commonName = c.commonName() != null ? c.commonName() : sans.get(0);
    CertificateSpec spec = new CertificateSpec(c.name(), guest.target(), ca.type(), commonName, sans, key, usages,
        lifetime, renewAt, renewBefore, files, validate, reload, verify, after);
    for (SpecProblem problem : reader.plugins().issuerPlugin(ca.type()).checkCertificate(ca, spec)) {
      problems.at(at + "/" + problem.field(), problem.reason());
    }
    return spec;
  }

  private List<String> sans(String at, List<String> sans) {
    if (sans == null || sans.isEmpty()) {
      problems.at(at + "/sans", "missing: at least one DNS name or IP address");
      return null;
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < sans.size(); i++) {
      String san = sans.get(i) == null ? "" : sans.get(i).trim().toLowerCase(Locale.ROOT);
      if (!DNS.matcher(san).matches() && !IP.matcher(san).matches()) {
        problems.at(at + "/sans/" + i, "'" + sans.get(i) + "' is not a DNS name, wildcard (*.example.org) or IP");
      } else if (out.contains(san)) {
        problems.at(at + "/sans/" + i, "duplicate SAN '" + san + "'");
      } else {
        out.add(san);
      }
    }
    return out.size() == sans.size() ? out : null;
  }

  private KeyAlgorithm keyAlgorithm(String at, String id) {
    if (id == null) {
      return KeyAlgorithm.ECDSA_P256;
    }
    Optional<KeyAlgorithm> key = KeyAlgorithm.fromId(id);
    if (key.isEmpty()) {
      problems.at(at, "unknown key type '" + id + "' (known: " + KeyAlgorithm.allIds() + ")");
    }
    return key.orElse(null);
  }

  private List<KeyUsage> usages(String at, List<String> usage) {
    if (usage == null) {
      return KeyUsage.DEFAULT;
    }
    List<KeyUsage> out = new ArrayList<>();
    for (int i = 0; i < usage.size(); i++) {
      try {
        out.add(KeyUsage.valueOf(String.valueOf(usage.get(i)).toUpperCase(Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        problems.at(at + "/usage/" + i, "unknown usage '" + usage.get(i) + "' (known: server, client)");
      }
    }
    return out;
  }

  private Duration duration(String at, String text) {
    Optional<Duration> parsed = Durations.parse(text);
    if (parsed.isEmpty()) {
      problems.at(at, "'" + text + "' is not a duration (e.g. 90s, 5m, 24h, 90d, 1h30m)");
    }
    return parsed.orElse(null);
  }

  private double fraction(String at, String text) {
    Optional<Double> parsed = Fractions.parse(text);
    if (parsed.isEmpty()) {
      problems.at(at, "'" + text + "' is not a share of the lifetime between 0 and 1 (e.g. 2/3, 0.75, 75%)");
    }
    return parsed.orElse(CertificateSpec.DEFAULT_RENEW_AT);
  }

  private CertificateFiles files(String at, Entries.Files files, Guest guest, Map<String, String> paths) {
    if (files == null) {
      problems.at(at, "missing: where the certificate and key go (files: {cert: ..., key: ...})");
      return null;
    }
    boolean local = guest != null && guest.target() != null && "local".equals(guest.target().transport());
    String cert = path(at + "/cert", files.cert(), local, "the certificate file");
    String key = path(at + "/key", files.key(), local, "the private key file");
    String caPath = files.ca() == null ? null : path(at + "/ca", files.ca(), local, "the root CA file");
    for (String[] mode : new String[][] {{"certMode", files.certMode()}, {"keyMode", files.keyMode()}}) {
      if (mode[1] != null && !MODE.matcher(mode[1]).matches()) {
        problems.at(at + "/" + mode[0], "'" + mode[1] + "' is not an octal file mode (e.g. 0600)");
      }
    }
    if (cert == null || key == null) {
      return null;
    }
    if (cert.equals(key)) {
      problems.at(at + "/key", "the key cannot go to the same file as the certificate");
      return null;
    }
    String guestId = guest == null ? "?" : guest.id();
    for (String[] file : new String[][] {{"/cert", cert}, {"/key", key}}) {
      String owner = paths.putIfAbsent(guestId + ":" + file[1], at + file[0]);
      if (owner != null) {
        problems.at(at + file[0], file[1] + " on " + guestId + " is already written by "
            + Problems.fieldName(owner));
      }
    }
    return new CertificateFiles(cert, key, caPath, normalMode(files.certMode()), normalMode(files.keyMode()),
        files.owner());
  }

  private static String normalMode(String mode) {
    return mode == null ? null : (mode.length() == 3 ? "0" + mode : mode);
  }

  /** Remote paths must be absolute; local ones may be relative to where the worker starts. */
  private String path(String at, String value, boolean local, String what) {
    if (value == null || value.isBlank()) {
      problems.at(at, "missing: " + what);
      return null;
    }
    if (local) {
      return Path.of(value).toAbsolutePath().normalize().toString();
    }
    if (!value.startsWith("/")) {
      problems.at(at, "'" + value + "' must be an absolute path on the guest");
      return null;
    }
    return value;
  }

  /** A validate, reload or verify step: a plugin of that family, checked like every plugin. */
  private StepSpec step(String at, Entries.Step step, String kind, String defaultType) {
    if (step == null) {
      return defaultType == null ? StepSpec.none() : new StepSpec(defaultType, List.of(), Map.of());
    }
    if (StepSpec.NONE.equals(step.type())) {
      return StepSpec.none();
    }
    Optional<Plugin> plugin = reader.plugin(Family.of(kind), step.type(), at + "/type", StepSpec.NONE);
    PluginReader.Options options = reader.options(at, step.options(), step.flat());
    if (plugin.isEmpty() || options == null) {
      return null;
    }
    Settings settings = reader.check(plugin.get(), at, options,
        Settings.of(plugin.get(), options.values(), step.argv()));
    return settings == null ? null : new StepSpec(step.type(), step.argv(), options.values());
  }

  private Policy defaults(Entries.Defaults d) {
    return new Policy(
        d.key() == null ? null : d.key(),
        d.lifetime() == null ? null : duration("/defaults/lifetime", d.lifetime()),
        d.renewAt() == null ? CertificateSpec.DEFAULT_RENEW_AT : fraction("/defaults/renewAt", d.renewAt()),
        d.renewBefore() == null ? null : duration("/defaults/renewBefore", d.renewBefore()));
  }

  /** The inventory's defaults, applied where a certificate says nothing. */
  private record Policy(String key, Duration lifetime, double renewAt, Duration renewBefore) {}
}
