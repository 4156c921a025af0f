package ai.thinkheads.phoenix.certs.worker.inventory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.thinkheads.phoenix.certs.activities.audit.AuditSpec;
import ai.thinkheads.phoenix.certs.activities.plugin.Settings;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The inventory's audit: section: defaults, sources as plugins, and each mistake at its line and column. */
class AuditSectionTest {

  final InventoryLoader loader = new InventoryLoader(InventoryLoaderTest.PLUGINS);

  @Test
  void absentMeansTheDefaults() {
    assertEquals(AuditSpec.DEFAULT, loader.parse("good.yaml", InventoryLoaderTest.GOOD).audit());
  }

  @Test
  void sourcesAreCheckedPlugins() {
    Inventory inventory = loader.parse("audit.yaml", InventoryLoaderTest.GOOD + """
        audit:
          interval: 12h
          concurrency: 4
          sources:
            - {type: acme-json, guest: nginx}
            - {type: endpoint, address: "10.0.0.12:443", serverName: qdrant.internal.thinkheads.ai}
            - type: files
              options: {path: /etc/nginx/ssl}
        """);
    AuditSpec audit = inventory.audit();
    assertEquals(Duration.ofHours(12), audit.interval());
    assertEquals(4, audit.concurrency());
    assertEquals(List.of("acme-json", "endpoint", "files"), audit.sources().stream().map(Settings::type).toList());
    assertEquals("/etc/traefik/acme.json", audit.sources().get(0).get("path"), "the default path");
    assertEquals("/etc/nginx/ssl", audit.sources().get(2).get("path"));
  }

  @Test
  void eachMistakeIsReportedWhereItIs() {
    String yaml = InventoryLoaderTest.GOOD + """
        audit:
          interval: often
          concurrency: 0
          sources:
            - {type: vault}
            - {type: acme-json, guest: nowhere}
            - {type: endpoint, address: qdrant}
            - {type: files}
        """;
    InventoryException e = assertThrows(InventoryException.class, () -> loader.parse("bad.yaml", yaml));
    assertEquals(List.of(
        "bad.yaml:19:3: audit.interval: 'often' is not a duration (e.g. 24h, 30d)",
        "bad.yaml:20:3: audit.concurrency: '0' is not between 1 and 64",
        "bad.yaml:22:8: audit.sources[0].type: unknown audit source type 'vault' (known: acme-json, ca, endpoint, "
            + "files, managed, ports, trust)",
        "bad.yaml:23:25: audit.sources[1].guest: unknown guest 'nowhere' (known: nginx, box)",
        "bad.yaml:24:24: audit.sources[2].address: 'qdrant' is not host:port",
        "bad.yaml:25:7: audit.sources[3].path: missing: the files audit source needs the path, e.g. path: /etc/nginx/ssl"),
        e.errors().stream().map(Object::toString).toList());
  }

  @Test
  void theSeedEstateNeedsOnlyAFewLines() {
    AuditSpec audit = loader.load(java.nio.file.Path.of("../examples/phoenix.yaml")).audit();
    assertEquals(List.of("acme-json", "files", "files", "endpoint", "endpoint", "endpoint"),
        audit.sources().stream().map(Settings::type).toList());
    assertEquals(Duration.ofHours(24), audit.interval());
  }
}
