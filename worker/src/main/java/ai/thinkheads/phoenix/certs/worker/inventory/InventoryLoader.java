package ai.thinkheads.phoenix.certs.worker.inventory;

import ai.thinkheads.phoenix.certs.activities.estate.Guest;
import ai.thinkheads.phoenix.certs.activities.plugin.PluginRegistry;
import ai.thinkheads.phoenix.certs.activities.plugin.Settings;
import ai.thinkheads.phoenix.certs.workflows.model.CertificateSpec;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads and validates an inventory file. Every problem is reported with file, line, field and reason, and
 * nothing is returned unless the whole file is valid.
 */
public final class InventoryLoader {

  static final Set<String> TOP_LEVEL = Set.of("ca", "defaults", "hosts", "guests", "certificates", "audit");

  private final PluginRegistry plugins;

  /** @param plugins what the inventory may name, and what checks each entry of the CA, guests and steps */
  /** The plugins this reader checks against (and whose path options name the files an inventory depends on). */
  public PluginRegistry plugins() {
    return plugins;
  }

  public InventoryLoader(PluginRegistry plugins) {
    this.plugins = plugins;
  }

  public Inventory load(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new InventoryException(List.of(new InventoryError(file.toString(), Location.START, "",
          "cannot read the inventory: " + e.getMessage())));
    }
    return parse(file.toString(), text);
  }

  public Inventory parse(String fileName, String text) {
    Problems problems = new Problems(fileName);
    LocatedYaml.Document document = LocatedYaml.parse(text, problems);
    if (document == null) {
      throw new InventoryException(problems.sorted());
    }
    problems.attach(document);
    JsonNode root = document.root();
    if (!root.isObject()) {
      problems.at("", "the inventory must be a mapping with ca, guests and certificates");
      throw new InventoryException(problems.sorted());
    }
    root.fieldNames().forEachRemaining(key -> {
      if (!TOP_LEVEL.contains(key)) {
        problems.at("/" + key, "unknown key '" + key + "' (known: audit, ca, certificates, defaults, guests, hosts)");
      }
    });
    EntryBinder binder = new EntryBinder(problems);
    PluginReader reader = new PluginReader(problems, plugins);
    CaValidator caValidator = new CaValidator(problems, reader);
    Optional<Entries.Ca> caEntry = binder.bind(root.get("ca"), "/ca", Entries.Ca.class);
    Settings ca = caValidator.validate(caEntry);
    Settings partner = caEntry.map(caValidator::validatePartner).orElse(null);
    boolean previous = caEntry.map(e -> e.previous() != null).orElse(false);
    Entries.Defaults defaults = binder.bind(root.get("defaults"), "/defaults", Entries.Defaults.class)
        .orElse(new Entries.Defaults(null, null, null, null));
    GuestValidator guestValidator = new GuestValidator(problems, reader);
    Map<String, Settings> hosts = guestValidator.hosts(hosts(root.get("hosts"), binder, problems));
    List<Guest> guests = guestValidator.validate(
        list(root.get("guests"), "/guests", binder, problems, Entries.Guest.class), hosts);
    List<CertificateSpec> certificates = new CertificateValidator(problems, reader, ca).validate(
        list(root.get("certificates"), "/certificates", binder, problems, Entries.Certificate.class), defaults,
        guests);
    var audit = new AuditValidator(problems, reader).validate(
        binder.bind(root.get("audit"), "/audit", Entries.Audit.class), guests);
    if (problems.any()) {
      throw new InventoryException(problems.sorted());
    }
    return new Inventory(fileName, ca, guests, certificates, audit, previous ? partner : null,
        previous ? null : partner);
  }

  private static Map<String, Entries.Host> hosts(JsonNode node, EntryBinder binder, Problems problems) {
    Map<String, Entries.Host> out = new LinkedHashMap<>();
    if (node == null || node.isNull()) {
      return out;
    }
    if (!node.isObject()) {
      problems.at("/hosts", "expected a mapping of host names to hosts, found " + EntryBinder.describe(node));
      return out;
    }
    node.fields().forEachRemaining(entry -> {
      String pointer = "/hosts/" + PluginReader.pointerPart(entry.getKey());
      // a broken entry stays as a known name (null): references to it are not errors too
      out.put(entry.getKey(), binder.bind(entry.getValue(), pointer, Entries.Host.class).orElse(null));
    });
    return out;
  }

  /** Entries of a list, each with its pointer; a broken entry is reported and left out. */
  private static <T> List<Located<T>> list(JsonNode node, String pointer, EntryBinder binder, Problems problems,
      Class<T> type) {
    List<Located<T>> out = new ArrayList<>();
    if (node == null || node.isNull()) {
      return out;
    }
    if (!node.isArray()) {
      problems.at(pointer, "expected a list, found " + EntryBinder.describe(node));
      return out;
    }
    for (int i = 0; i < node.size(); i++) {
      String at = pointer + "/" + i;
      binder.bind(node.get(i), at, type).ifPresent(value -> out.add(new Located<>(at, value)));
    }
    return out;
  }

  /** An entry and the pointer it was read from, so later checks can report at its line. */
  record Located<T>(String pointer, T value) {}
}
