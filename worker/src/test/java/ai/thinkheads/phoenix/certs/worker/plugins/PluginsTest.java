package ai.thinkheads.phoenix.certs.worker.plugins;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.thinkheads.phoenix.certs.worker.inventory.Inventory;
import io.micronaut.context.ApplicationContext;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The worker's beans register every kind of step, and the seed's estate validates against them. */
class PluginsTest {

  @Test
  void everyKindIsRegisteredAndTheExamplesValidate() {
    try (ApplicationContext context = ApplicationContext.run()) {
      Plugins plugins = context.getBean(Plugins.class);
      assertEquals(Set.of("local", "step-ca"), plugins.typesOf("issuer"));
      assertEquals(Set.of("local", "ssh", "pct", "qm"), plugins.typesOf("transport"));
      assertEquals(Set.of("command"), plugins.typesOf("validate"));
      assertEquals(Set.of("command", "docker", "systemd"), plugins.typesOf("reload"));
      assertEquals(Set.of("readback", "tls"), plugins.typesOf("verify"));

      Inventory phoenix = plugins.inventoryLoader().load(Path.of("../examples/phoenix.yaml"));
      assertEquals("pct", phoenix.certificates().get(0).target().transport());
      assertEquals("qm", phoenix.certificates().get(1).target().transport());
      assertEquals("step-ca", plugins.issuer(phoenix.ca()).type());
      assertEquals(3, plugins.inventoryLoader().load(Path.of("../examples/demo.yaml")).certificates().size());
    }
  }
}
