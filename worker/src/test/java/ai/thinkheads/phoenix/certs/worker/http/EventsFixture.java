package ai.thinkheads.phoenix.certs.worker.http;

import ai.thinkheads.phoenix.certs.activities.plugin.PluginRegistry;
import ai.thinkheads.phoenix.certs.worker.engine.Engine;
import ai.thinkheads.phoenix.certs.worker.inventory.InventoryStore;
import ai.thinkheads.phoenix.certs.worker.temporal.PhoenixWorker;
import ai.thinkheads.phoenix.certs.worker.temporal.TemporalConnection;
import ai.thinkheads.phoenix.certs.workflows.audit.AuditWorkflowImpl;
import ai.thinkheads.phoenix.certs.workflows.guest.GuestOnboardingWorkflow;
import io.micronaut.context.ApplicationContext;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * A running engine for the events tests: the embedded Temporal server on a free port, the worker with the real
 * certificate workflow plus {@link RecordingGuestOnboarding}, and an inventory of five LXC guests (101-105) and
 * one VM (201). The events endpoint is started and stopped per test, as a worker process would be.
 */
final class EventsFixture implements AutoCloseable {

  static final String TOKEN = "test-token-0123456789abcdef";

  final Path dir;
  final Path tokenFile;
  final ApplicationContext base;
  final Engine engine;
  private final List<ApplicationContext> servers = new ArrayList<>();

  EventsFixture(Path dir) throws IOException {
    this.dir = dir;
    tokenFile = dir.resolve("events.token");
    Files.writeString(tokenFile, TOKEN + "\n");
    Path inventoryFile = dir.resolve("inventory.yaml");
    Files.writeString(inventoryFile, """
        ca: {type: local, dataDir: %s/ca}
        guests:
          - {vmid: 101, name: web, kind: lxc, transport: local, trust: [system, docker]}
          - {vmid: 102, name: db, kind: lxc, transport: local}
          - {vmid: 103, name: cache, kind: lxc, transport: local}
          - {vmid: 104, name: queue, kind: lxc, transport: local}
          - {vmid: 105, name: search, kind: lxc, transport: local}
          - {vmid: 106, name: mail, kind: lxc, transport: local}
          - {vmid: 107, name: wiki, kind: lxc, transport: local}
          - {vmid: 201, name: portainer, kind: vm, transport: local}
        """.formatted(dir));
    base = ApplicationContext.run();
    PluginRegistry plugins = base.getBean(PluginRegistry.class);
    InventoryStore inventory = InventoryStore.open(inventoryFile, plugins);
    // The stand-in replaces the guest workflow production registers: these guests are not real.
    // Nor the audit: its trust check at start would onboard these stand-in guests before any event.
    List<Class<?>> workflows = new ArrayList<>(PhoenixWorker.WORKFLOW_TYPES.stream()
        .filter(type -> !GuestOnboardingWorkflow.class.isAssignableFrom(type)
            && !AuditWorkflowImpl.class.equals(type)).toList());
    workflows.add(RecordingGuestOnboarding.class);
    engine = Engine.start(inventory, plugins, TemporalConnection.embedded(freePort()), Duration.ofHours(1),
        workflows);
  }

  /** A worker's events endpoint on {@code port}; {@code spool} null: the worker drains no spool. */
  EventsServer startServer(int port, Path spool) {
    Map<String, Object> properties = new HashMap<>();
    properties.put("micronaut.server.port", port);
    properties.put("phoenix.events.token-file", tokenFile.toString());
    if (spool != null) {
      properties.put("phoenix.events.spool-dir", spool.toString());
    }
    ApplicationContext context = ApplicationContext.run(properties);
    servers.add(context);
    return EventsServer.start(context, engine, false).orElseThrow();
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  static void await(String what, BooleanSupplier condition, long millis) throws InterruptedException {
    long deadline = System.currentTimeMillis() + millis;
    while (!condition.getAsBoolean()) {
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError("not within " + millis + " ms: " + what);
      }
      Thread.sleep(50);
    }
  }

  @Override
  public void close() {
    servers.forEach(ApplicationContext::close);
    engine.close();
    base.close();
  }
}
