package ai.thinkheads.phoenix.certs.worker.plugins;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.thinkheads.phoenix.certs.activities.issuer.IssuerContext;
import ai.thinkheads.phoenix.certs.activities.plugin.Family;
import ai.thinkheads.phoenix.certs.activities.plugin.PluginRegistry;
import ai.thinkheads.phoenix.certs.worker.inventory.Inventory;
import ai.thinkheads.phoenix.certs.worker.inventory.InventoryLoader;
import io.micronaut.context.ApplicationContext;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The worker's one registry holds every family's built-in plugins, and the examples validate against them. */
class PluginRegistryTest {

  @Test
  void everyFamilyIsRegisteredAndTheExamplesValidate() {
    try (ApplicationContext context = ApplicationContext.run()) {
      PluginRegistry plugins = context.getBean(PluginRegistry.class);
      assertEquals(Set.of("local", "step-ca", "acme"), plugins.types(Family.ISSUER));
      assertEquals(Set.of("local", "ssh", "pct", "qm"), plugins.types(Family.TRANSPORT));
      assertEquals(Set.of("command"), plugins.types(Family.VALIDATE));
      assertEquals(Set.of("command", "docker", "systemd"), plugins.types(Family.RELOAD));
      assertEquals(Set.of("readback", "tls"), plugins.types(Family.VERIFY));

      InventoryLoader loader = new InventoryLoader(plugins);
      Inventory phoenix = loader.load(Path.of("../examples/phoenix.yaml"));
      assertEquals("pct", phoenix.certificates().get(0).target().transport());
      assertEquals("qm", phoenix.certificates().get(1).target().transport());
      assertEquals("step-ca", plugins.issuer(phoenix.ca(), IssuerContext.none()).type());
      assertEquals(3, loader.load(Path.of("../examples/demo.yaml")).certificates().size());
      Inventory acme = loader.load(Path.of("../examples/acme.yaml"));
      assertEquals("acme", plugins.issuer(acme.ca(), IssuerContext.none()).type());
      assertEquals(2, acme.certificates().size());
    }
  }
}
