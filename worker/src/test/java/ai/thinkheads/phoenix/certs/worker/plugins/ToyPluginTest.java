package ai.thinkheads.phoenix.certs.worker.plugins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.thinkheads.phoenix.certs.activities.plugin.BuiltInPlugins;
import ai.thinkheads.phoenix.certs.activities.plugin.Family;
import ai.thinkheads.phoenix.certs.activities.plugin.Option;
import ai.thinkheads.phoenix.certs.activities.plugin.PluginRegistry;
import ai.thinkheads.phoenix.certs.activities.plugin.Settings;
import ai.thinkheads.phoenix.certs.activities.plugin.SpecProblem;
import ai.thinkheads.phoenix.certs.activities.steps.Reloader;
import ai.thinkheads.phoenix.certs.activities.steps.StepContext;
import ai.thinkheads.phoenix.certs.activities.testing.Polling;
import ai.thinkheads.phoenix.certs.activities.transport.FileAttributes;
import ai.thinkheads.phoenix.certs.activities.transport.ssh.SshConnectionPool;
import ai.thinkheads.phoenix.certs.worker.engine.Engine;
import ai.thinkheads.phoenix.certs.worker.inventory.InventoryException;
import ai.thinkheads.phoenix.certs.worker.inventory.InventoryLoader;
import ai.thinkheads.phoenix.certs.worker.inventory.InventoryStore;
import ai.thinkheads.phoenix.certs.worker.temporal.TemporalConnection;
import ai.thinkheads.phoenix.certs.worker.testing.FreePort;
import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateStatus;
import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateWorkflow;
import io.micronaut.context.ApplicationContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The plugin contract, proven by a plugin that exists only in this test: a reload step registered as a bean,
 * without a line of main code changed. The inventory reader checks its options like any built-in's (with file,
 * line and column), and the worker runs it in the real renewal workflow.
 */
class ToyPluginTest {

  /** Type {@code stamp}: writes {@code note} and the certificate's name to {@code file} on the target. */
  static final class Stamp implements Reloader {

    @Override
    public String type() {
      return "stamp";
    }

    @Override
    public List<Option> options() {
      return List.of(Option.path("file").required("/var/run/stamp"), Option.text("note").orElse("reloaded"));
    }

    @Override
    public List<SpecProblem> check(Settings settings) {
      return settings.get("file").startsWith("/") ? List.of()
          : List.of(new SpecProblem("file", "'" + settings.get("file") + "' must be an absolute path"));
    }

    @Override
    public String reload(StepContext context) {
      Settings settings = context.settings(this);
      context.transport().write(settings.get("file"), (settings.get("note") + " " + context.certificate().name())
          .getBytes(StandardCharsets.UTF_8), FileAttributes.mode("0644"));
      return "stamped " + settings.get("file");
    }
  }

  static final String INVENTORY = """
      ca: {type: local, dataDir: %1$s/ca}
      guests:
        - {name: here, kind: local}
      certificates:
        - name: toy
          guest: here
          sans: [toy.test]
          lifetime: 1h
          files: {cert: %1$s/toy.crt, key: %1$s/toy.key}
          reload: {type: stamp, %2$s}
      """;

  @TempDir
  Path dir;

  @Test
  void theReaderChecksATestOnlyPluginLikeABuiltIn() {
    PluginRegistry builtIn = BuiltInPlugins.registry(new SshConnectionPool());
    String good = INVENTORY.formatted(dir, "file: " + dir.resolve("stamp") + ", note: hello");
    assertEquals(List.of("bad.yaml:10:14: certificates[0].reload.type: unknown reload type 'stamp' (known: command, "
        + "docker, systemd, none)"), problems(new InventoryLoader(builtIn), good));

    InventoryLoader loader = new InventoryLoader(builtIn.with(new Stamp()));
    assertEquals("stamp", loader.parse("good.yaml", good).certificates().get(0).reload().type());
    assertEquals(List.of("bad.yaml:10:5: certificates[0].reload.file: missing: a stamp step needs the file, e.g. "
        + "file: /var/run/stamp", "bad.yaml:10:27: certificates[0].reload.colour: unknown option 'colour' for a "
        + "stamp step (known: file, note)"), problems(loader, INVENTORY.formatted(dir, "colour: blue")));
    assertEquals(List.of("bad.yaml:10:27: certificates[0].reload.file: 'var/stamp' must be an absolute path"),
        problems(loader, INVENTORY.formatted(dir, "file: var/stamp")), "its own check, at the option's column");
    assertTrue(builtIn.with(new Stamp()).types(Family.RELOAD).contains("stamp"));
  }

  @Test
  void aPluginBeanIsRegisteredAndRunsInTheRenewalWorkflow() throws Exception {
    Path inventory = dir.resolve("inventory.yaml");
    Path stamp = dir.resolve("stamp");
    Files.writeString(inventory, INVENTORY.formatted(dir, "file: " + stamp + ", note: hello"));
    try (ApplicationContext context = ApplicationContext.builder().singletons(new Stamp()).start()) {
      PluginRegistry plugins = context.getBean(PluginRegistry.class);
      try (Engine engine = Engine.start(InventoryStore.open(inventory, plugins), plugins,
          TemporalConnection.embedded(FreePort.next()), Duration.ofHours(1))) {
        CertificateWorkflow workflow = engine.client().newWorkflowStub(CertificateWorkflow.class, "cert/toy");
        CertificateStatus issued = Polling.await(workflow::status,
            s -> s != null && s.lastOutcome() == CertificateStatus.Outcome.ISSUED, Duration.ofSeconds(60),
            Duration.ofMillis(200));
        assertEquals("hello toy", Files.readString(stamp), "the toy reloaded " + issued.serial());
      }
    }
  }

  private static List<String> problems(InventoryLoader loader, String yaml) {
    return assertThrows(InventoryException.class, () -> loader.parse("bad.yaml", yaml)).errors().stream()
        .map(Object::toString).toList();
  }
}
