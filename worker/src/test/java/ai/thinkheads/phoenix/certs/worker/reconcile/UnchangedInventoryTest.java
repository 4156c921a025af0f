package ai.thinkheads.phoenix.certs.worker.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.thinkheads.phoenix.certs.activities.plugin.PluginRegistry;
import ai.thinkheads.phoenix.certs.worker.engine.CertificateLauncher;
import ai.thinkheads.phoenix.certs.worker.engine.Engine;
import ai.thinkheads.phoenix.certs.worker.inventory.InventoryStore;
import ai.thinkheads.phoenix.certs.worker.temporal.TemporalConnection;
import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateWorkflow;
import ai.thinkheads.phoenix.certs.workflows.reconcile.ReconcileReport;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.MethodDescriptor;
import io.micronaut.context.ApplicationContext;
import io.temporal.client.WorkflowClient;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A reconcile pass over an inventory that has not changed makes no call per certificate: every RPC the pass makes
 * to the (embedded) Temporal server is counted by a gRPC interceptor on its own client. The worker's first pass
 * cannot know what changed while it was away and looks at each certificate; the next, unchanged, makes one list
 * call at most (strays: the embedded server cannot list, so it answers UNIMPLEMENTED); an edit of one certificate
 * costs one signal.
 */
class UnchangedInventoryTest {

  static final int CERTIFICATES = 40;

  @TempDir
  Path dir;

  @Test
  void anUnchangedInventoryCostsNoCallPerCertificate() throws Exception {
    Path file = dir.resolve("inventory.yaml");
    Files.writeString(file, inventory("c0.test"));
    try (ApplicationContext context = ApplicationContext.run()) {
      PluginRegistry plugins = context.getBean(PluginRegistry.class);
      InventoryStore inventory = InventoryStore.open(file, plugins);
      try (Engine engine = Engine.start(inventory, plugins, TemporalConnection.embedded(freePort()),
          Duration.ofHours(1))) {
        long deadline = System.currentTimeMillis() + 90_000;
        while (!engine.statuses().all().stream().allMatch(s -> s.phase().startsWith("waiting"))) {
          assertTrue(System.currentTimeMillis() < deadline, "not all issued: " + engine.statuses().all());
          Thread.sleep(200);
        }
        Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
        WorkflowServiceStubs stubs = WorkflowServiceStubs.newServiceStubs(WorkflowServiceStubsOptions.newBuilder()
            .setTarget(engine.client().getWorkflowServiceStubs().getOptions().getTarget())
            .setGrpcClientInterceptors(List.of(counting(calls))).build());
        try {
          WorkflowClient client = WorkflowClient.newInstance(stubs);
          ReconcileActivitiesImpl reconcile = new ReconcileActivitiesImpl(inventory, client,
              new CertificateLauncher(client, CertificateWorkflow.TASK_QUEUE, false), Duration.ofHours(1));

          ReconcileReport first = reconcile.reconcile();
          Map<String, Integer> firstCalls = snapshot(calls);
          assertEquals(CERTIFICATES, first.unchanged(), first.summary());
          assertTrue(firstCalls.getOrDefault("DescribeWorkflowExecution", 0) >= CERTIFICATES,
              "a worker's first pass looks at each certificate: " + firstCalls);

          calls.clear();
          long cpu = threadCpu();
          long started = System.nanoTime();
          ReconcileReport unchanged = reconcile.reconcile();
          long cpuMillis = (threadCpu() - cpu) / 1_000_000;
          long wallMillis = (System.nanoTime() - started) / 1_000_000;
          Map<String, Integer> unchangedCalls = snapshot(calls);
          System.out.printf("reconcile, %d certificates: first pass %s; unchanged pass %s in %d ms (%d ms CPU)%n",
              CERTIFICATES, firstCalls, unchangedCalls, wallMillis, cpuMillis);
          assertEquals(CERTIFICATES, unchanged.unchanged(), unchanged.summary());
          assertEquals(0, unchanged.started().total() + unchanged.changed().total() + unchanged.stopped().total());
          assertTrue(unchangedCalls.keySet().stream().allMatch("ListWorkflowExecutions"::equals)
              && unchangedCalls.getOrDefault("ListWorkflowExecutions", 0) <= 1,
              "an unchanged pass makes one list call at most: " + unchangedCalls);

          calls.clear();
          Files.writeString(file, inventory("c0-renamed.test"));
          ReconcileReport edited = reconcile.reconcile();
          Map<String, Integer> editedCalls = snapshot(calls);
          assertEquals(List.of("c0"), edited.changed().names(), edited.summary());
          assertEquals(1, editedCalls.getOrDefault("SignalWorkflowExecution", 0), editedCalls.toString());
          assertEquals(0, editedCalls.getOrDefault("DescribeWorkflowExecution", 0)
              + editedCalls.getOrDefault("QueryWorkflow", 0), "one certificate changed, one signal: " + editedCalls);
        } finally {
          stubs.shutdownNow();
        }
      }
    }
  }

  private static ClientInterceptor counting(Map<String, AtomicInteger> calls) {
    return new ClientInterceptor() {
      @Override
      public <Q, A> ClientCall<Q, A> interceptCall(MethodDescriptor<Q, A> method, CallOptions options, Channel next) {
        String name = method.getFullMethodName();
        String rpc = name.substring(name.lastIndexOf('/') + 1);
        if (!rpc.startsWith("GetSystemInfo") && !rpc.equals("Check")) { // the client's own handshake
          calls.computeIfAbsent(rpc, k -> new AtomicInteger()).incrementAndGet();
        }
        return next.newCall(method, options);
      }
    };
  }

  private static Map<String, Integer> snapshot(Map<String, AtomicInteger> calls) {
    Map<String, Integer> out = new TreeMap<>();
    calls.forEach((rpc, count) -> out.put(rpc, count.get()));
    return out;
  }

  private static long threadCpu() {
    return ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
  }

  private String inventory(String firstSan) {
    StringBuilder yaml = new StringBuilder("ca: {type: local, dataDir: " + dir + "/ca}\n"
        + "guests:\n  - {name: here, kind: local}\ncertificates:\n");
    for (int i = 0; i < CERTIFICATES; i++) {
      yaml.append("  - name: c").append(i).append("\n    guest: here\n    sans: [")
          .append(i == 0 ? firstSan : "c" + i + ".test").append("]\n    lifetime: 1h\n")
          .append("    files: {cert: ").append(dir).append("/c").append(i).append(".crt, key: ").append(dir)
          .append("/c").append(i).append(".key}\n");
    }
    return yaml.toString();
  }

  private static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
