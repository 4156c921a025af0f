package ai.thinkheads.phoenix.certs.worker.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.thinkheads.phoenix.certs.activities.plugin.PluginRegistry;
import ai.thinkheads.phoenix.certs.worker.engine.CertificateLauncher;
import ai.thinkheads.phoenix.certs.worker.engine.Engine;
import ai.thinkheads.phoenix.certs.worker.engine.StatusBoard;
import ai.thinkheads.phoenix.certs.worker.http.EventsServer;
import ai.thinkheads.phoenix.certs.worker.inventory.InventoryStore;
import ai.thinkheads.phoenix.certs.worker.reconcile.ReconcileActivitiesImpl;
import ai.thinkheads.phoenix.certs.worker.temporal.TemporalConnection;
import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateStatus;
import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateWorkflow;
import ai.thinkheads.phoenix.certs.workflows.model.CertificateSpec;
import ai.thinkheads.phoenix.certs.workflows.status.PromptQuery;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micronaut.context.ApplicationContext;
import io.temporal.client.WorkflowClient;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Figures for issue 12, printed, with the way the code worked before measured in the same run as the baseline:
 * N local certificates (24 h lifetimes: nothing falls due) on the embedded server, this JVM's CPU over a window
 * with the dev table on, when the table reads the {@code StatusProjection} against when it asks every workflow by
 * query each second (the old StatusBoard); {@code status} as {@code GET /status} against one query per workflow
 * (the old CLI); a reconcile pass over the unchanged inventory against a worker's first pass (one look at each
 * certificate). Run: {@code bin/bench ScaleBenchmark} (N: -Dscale.sizes=500,2000; window: -Dscale.window=30).
 */
@Tag("benchmark")
class ScaleBenchmark {

  static final String TOKEN = "bench-token-0123456789abcdef";
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  @Test
  void scaleFigures() throws Exception {
    int window = Integer.getInteger("scale.window", 30);
    List<String> lines = new ArrayList<>();
    for (String size : System.getProperty("scale.sizes", "500,2000").split(",")) {
      lines.addAll(measure(Integer.parseInt(size.strip()), Duration.ofSeconds(window)));
    }
    System.out.printf("%n== scale (java %s, %d cores, workflow cache %s)%n", System.getProperty("java.version"),
        Runtime.getRuntime().availableProcessors(), System.getenv().getOrDefault("PHOENIX_WORKFLOW_CACHE", "64"));
    lines.forEach(System.out::println);
  }

  private List<String> measure(int count, Duration window) throws Exception {
    Path work = Files.createDirectories(dir.resolve("n" + count));
    Path inventoryFile = writeInventory(work, count);
    Path tokenFile = work.resolve("token");
    Files.writeString(tokenFile, TOKEN + "\n");
    List<String> out = new ArrayList<>();
    try (ApplicationContext context = ApplicationContext.run(Map.of("micronaut.server.port", freePort(),
        "phoenix.events.token-file", tokenFile.toString()))) {
      PluginRegistry plugins = context.getBean(PluginRegistry.class);
      InventoryStore inventory = InventoryStore.open(inventoryFile, plugins);
      long started = System.nanoTime();
      try (Engine engine = Engine.start(inventory, plugins, TemporalConnection.embedded(freePort()),
          Duration.ofHours(1));
          EventsServer events = EventsServer.start(context, engine, false).orElseThrow();
          StatusBoard board = new StatusBoard(engine.statuses(), inventory,
              new PrintStream(OutputStream.nullOutputStream()))) {
        long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
        while (!engine.statuses().all().stream().allMatch(s -> s.phase().startsWith("waiting"))) {
          assertTrue(System.nanoTime() < deadline, "not all issued in 10 min");
          Thread.sleep(250);
        }
        double issueSeconds = (System.nanoTime() - started) / 1e9;
        out.add(String.format("N=%d: all issued in %.1f s (%.1f certificates/s, CA limited to %s/s)", count,
            issueSeconds, count / issueSeconds, System.getenv().getOrDefault("PHOENIX_CA_RATE", "50")));
        board.start();
        Thread.sleep(5000); // settle: the last workflow tasks, the first table
        WorkflowClient client = engine.client();
        List<String> ids = inventory.get().certificates().stream().map(CertificateSpec::workflowId).toList();

        Map<String, Long> threadsBefore = threadCpu();
        double projectionCpu = cpuPercent(window);
        String busiest = busiest(threadsBefore, threadCpu(), window);
        double queryingCpu;
        ScheduledExecutorService oldBoard = Executors.newSingleThreadScheduledExecutor();
        try {
          oldBoard.scheduleWithFixedDelay(() -> askAll(client, ids, Duration.ofSeconds(3)), 0, 1, TimeUnit.SECONDS);
          queryingCpu = cpuPercent(window);
        } finally {
          oldBoard.shutdownNow();
          oldBoard.awaitTermination(30, TimeUnit.SECONDS);
        }
        Thread.sleep(5000); // let the queries in flight drain
        out.add(String.format("N=%d: process CPU, nothing due, dev table on, over %d s: %.2f%% of a core from the "
            + "projection; %.1f%% of a core querying each workflow every second (old table): %.0fx", count,
            window.toSeconds(), projectionCpu, queryingCpu, queryingCpu / Math.max(projectionCpu, 0.01)));
        out.add(String.format("N=%d: idle, where the CPU went (%% of a core, by thread): %s", count, busiest));

        HttpClient http = HttpClient.newHttpClient();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + events.port() + "/status"))
            .header("Authorization", "Bearer " + TOKEN).GET().build();
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
          long t = System.nanoTime();
          HttpResponse<String> answer = http.send(request, HttpResponse.BodyHandlers.ofString());
          assertEquals(count, JSON.readTree(answer.body()).path("certificates").size());
          best = Math.min(best, System.nanoTime() - t);
        }
        long t = System.nanoTime();
        List<CertificateStatus> queried = askAll(client, ids, Duration.ofMinutes(5));
        long queries = System.nanoTime() - t;
        assertEquals(count, queried.size());
        out.add(String.format("N=%d: status, all rows: %.1f ms from the worker's projection (GET /status, best of 5);"
            + " %.0f ms by one query per workflow (old status): %.0fx", count, best / 1e6, queries / 1e6,
            (double) queries / best));

        ReconcileActivitiesImpl reconcile = new ReconcileActivitiesImpl(inventory, client,
            new CertificateLauncher(client, CertificateWorkflow.TASK_QUEUE, false), Duration.ofHours(1));
        double[] first = timed(reconcile::reconcile);
        double[] unchanged = timed(reconcile::reconcile);
        out.add(String.format("N=%d: reconcile pass, unchanged inventory: %.1f ms, %.1f ms CPU (this thread); a "
            + "worker's first pass (one look at each): %.0f ms, %.0f ms CPU", count, unchanged[0], unchanged[1],
            first[0], first[1]));
        out.add(String.format("N=%d: RSS at steady state %d MiB", count, rssMiB()));
      }
    }
    return out;
  }

  /** The old table's and the old CLI's way: every workflow's status query at once, each asked again if slow. */
  private static List<CertificateStatus> askAll(WorkflowClient client, List<String> ids, Duration wait) {
    List<CompletableFuture<CertificateStatus>> asked = ids.stream()
        .map(id -> PromptQuery.ask(() -> client.newWorkflowStub(CertificateWorkflow.class, id).status())).toList();
    long deadline = System.nanoTime() + wait.toNanos();
    List<CertificateStatus> out = new ArrayList<>();
    for (CompletableFuture<CertificateStatus> answer : asked) {
      try {
        out.add(answer.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
      } catch (Exception slow) {
        // the old table kept the last row
      }
    }
    return out;
  }

  /** CPU time so far by thread name (threads of one pool summed under its name without the number). */
  private static Map<String, Long> threadCpu() {
    var threads = ManagementFactory.getThreadMXBean();
    Map<String, Long> out = new java.util.HashMap<>();
    for (var info : threads.getThreadInfo(threads.getAllThreadIds())) {
      if (info != null) {
        long cpu = threads.getThreadCpuTime(info.getThreadId());
        if (cpu > 0) {
          out.merge(info.getThreadName().replaceAll("[-: #]*\\d+$", "").replaceAll("\\d+", "N"), cpu, Long::sum);
        }
      }
    }
    return out;
  }

  private static String busiest(Map<String, Long> before, Map<String, Long> after, Duration window) {
    return after.entrySet().stream()
        .map(e -> Map.entry(e.getKey(), e.getValue() - before.getOrDefault(e.getKey(), 0L)))
        .filter(e -> e.getValue() > 0)
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(8)
        .map(e -> String.format("%s %.2f", e.getKey(), 100.0 * e.getValue() / window.toNanos()))
        .collect(java.util.stream.Collectors.joining(", "));
  }

  private static double cpuPercent(Duration window) throws InterruptedException {
    var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    long cpu = os.getProcessCpuTime();
    long wall = System.nanoTime();
    Thread.sleep(window.toMillis());
    return 100.0 * (os.getProcessCpuTime() - cpu) / (System.nanoTime() - wall);
  }

  /** Wall and this thread's CPU, in ms. */
  private static double[] timed(Runnable work) {
    var threads = ManagementFactory.getThreadMXBean();
    long cpu = threads.getCurrentThreadCpuTime();
    long wall = System.nanoTime();
    work.run();
    return new double[] {(System.nanoTime() - wall) / 1e6, (threads.getCurrentThreadCpuTime() - cpu) / 1e6};
  }

  private static long rssMiB() throws Exception {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
      }
    }
    return -1;
  }

  private static Path writeInventory(Path work, int count) throws Exception {
    StringBuilder yaml = new StringBuilder("ca: {type: local, dataDir: " + work + "/ca}\n"
        + "guests:\n  - {name: here, kind: local}\ncertificates:\n");
    for (int i = 0; i < count; i++) {
      yaml.append("  - name: c").append(i).append("\n    guest: here\n    sans: [c").append(i)
          .append(".bench.test]\n    lifetime: 24h\n    files: {cert: ").append(work).append("/certs/c").append(i)
          .append(".crt, key: ").append(work).append("/certs/c").append(i).append(".key}\n");
    }
    Path file = work.resolve("inventory.yaml");
    Files.writeString(file, yaml);
    return file;
  }

  private static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
