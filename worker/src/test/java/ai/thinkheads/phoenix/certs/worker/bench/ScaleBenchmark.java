package ai.thinkheads.phoenix.certs.worker.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.thinkheads.phoenix.certs.activities.crypto.Csrs;
import ai.thinkheads.phoenix.certs.activities.crypto.KeyPairs;
import ai.thinkheads.phoenix.certs.activities.issuer.IssuanceLimiter;
import ai.thinkheads.phoenix.certs.activities.issuer.IssueRequest;
import ai.thinkheads.phoenix.certs.activities.issuer.IssuedCertificate;
import ai.thinkheads.phoenix.certs.activities.issuer.Issuer;
import ai.thinkheads.phoenix.certs.activities.issuer.LimitedIssuer;
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
import ai.thinkheads.phoenix.certs.workflows.model.KeyAlgorithm;
import ai.thinkheads.phoenix.certs.workflows.model.KeyUsage;
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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Figures for issue 12, printed, each against a baseline measured in the same run: N local certificates (24 h
 * lifetimes: nothing falls due) on the embedded server, in this JVM (run with the worker's own JVM options, see the
 * benchmark profile). For each N: the time to issue all against the raw issuer (key, CSR and signature without
 * Temporal, at the limiter's concurrency); heap after a full GC and RSS at steady state; this JVM's CPU over a window
 * with nothing due and the dev table on (from the {@code StatusProjection}), against the old table (every workflow
 * queried each second, up to {@code scale.oldMax} certificates); {@code status}, {@code status --json} and
 * {@code describe} run by bin/phoenix-certs (a process of its own, as an operator runs it); a reconcile pass over the
 * unchanged inventory against a worker's first pass; and a storm: {@code renewNow} to every certificate at once with
 * the CA limited to PHOENIX_CA_RATE (50) signs per second: how long, the fastest second, and that none failed.
 * Run: {@code bin/bench ScaleBenchmark -Dscale.sizes=500,10000 -Dscale.window=300} (defaults 500,2000 and 30 s).
 * The CLI figures need {@code starter/target/phoenix-certs-cli.jar} (mvn install, or bin/phoenix-certs once).
 */
@Tag("benchmark")
class ScaleBenchmark {

  static final String TOKEN = "bench-token-0123456789abcdef";
  static final ObjectMapper JSON = new ObjectMapper();
  static final Path CLI_JAR = Path.of("..", "starter", "target", "phoenix-certs-cli.jar").toAbsolutePath().normalize();
  static final Path CLI = Path.of("..", "bin", "phoenix-certs").toAbsolutePath().normalize();

  @TempDir
  Path dir;

  @Test
  void scaleFigures() throws Exception {
    int window = Integer.getInteger("scale.window", 30);
    List<String> lines = new ArrayList<>();
    for (String size : System.getProperty("scale.sizes", "500,2000").split(",")) {
      lines.addAll(measure(Integer.parseInt(size.strip()), Duration.ofSeconds(window)));
      System.out.printf("%n== scale so far%n%s%n", String.join("\n", lines));
    }
    System.out.printf("%n== scale (java %s, %d cores, %s, max heap %d MiB, workflow cache %s, CA rate %s/s)%n",
        System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(),
        ManagementFactory.getRuntimeMXBean().getInputArguments(), Runtime.getRuntime().maxMemory() >> 20,
        System.getenv().getOrDefault("PHOENIX_WORKFLOW_CACHE", "64"),
        System.getenv().getOrDefault("PHOENIX_CA_RATE", "50"));
    lines.forEach(System.out::println);
  }

  private List<String> measure(int count, Duration window) throws Exception {
    Path work = Files.createDirectories(dir.resolve("n" + count));
    Path inventoryFile = writeInventory(work, count);
    Path tokenFile = work.resolve("token");
    Files.writeString(tokenFile, TOKEN + "\n");
    List<String> out = new ArrayList<>();
    int temporalPort = freePort();
    try (ApplicationContext context = ApplicationContext.run(Map.of("micronaut.server.port", freePort(),
        "phoenix.events.token-file", tokenFile.toString()))) {
      PluginRegistry plugins = context.getBean(PluginRegistry.class);
      InventoryStore inventory = InventoryStore.open(inventoryFile, plugins);
      LimitedIssuer issuer = (LimitedIssuer) inventory.get().issuer();
      double raw = rawIssuance(issuer.delegate(), Math.min(count, 1000), issuer.limiter().concurrency());
      long started = System.nanoTime();
      // TEMPORAL_ADDRESS (a server in a process of its own) measures the worker alone; else the embedded server
      TemporalConnection temporal = TemporalConnection.open(temporalPort, false);
      try (Engine engine = Engine.start(inventory, plugins, temporal, Duration.ofHours(1));
          EventsServer events = EventsServer.start(context, engine, false).orElseThrow();
          StatusBoard board = new StatusBoard(engine.statuses(), inventory,
              new PrintStream(OutputStream.nullOutputStream()))) {
        awaitAll(engine, count, s -> s.phase().startsWith("waiting"), "issued");
        double issueSeconds = (System.nanoTime() - started) / 1e9;
        out.add(String.format("N=%d: all issued in %.1f s: %.1f certificates/s; the raw issuer (key, CSR, sign; %d "
            + "at once, no limit) %.1f/s in the same run; CA limited to %s/s", count, issueSeconds,
            count / issueSeconds, issuer.limiter().concurrency(), raw,
            System.getenv().getOrDefault("PHOENIX_CA_RATE", "50")));
        board.start();
        Thread.sleep(5000); // settle: the last workflow tasks, the first table
        WorkflowClient client = engine.client();
        List<String> ids = inventory.get().certificates().stream().map(CertificateSpec::workflowId).toList();
        out.add(memory(count));

        Map<String, Long> threadsBefore = threadCpu();
        double projectionCpu = cpuPercent(window);
        String busiest = busiest(threadsBefore, threadCpu(), window);
        out.add(String.format("N=%d: process CPU, nothing due, dev table on (from the projection), over %d s: "
            + "%.2f%% of a core", count, window.toSeconds(), projectionCpu));
        out.add(String.format("N=%d: idle, where the CPU went (%% of a core, by thread): %s", count, busiest));
        boolean old = count <= Integer.getInteger("scale.oldMax", 2000);
        if (old) {
          Duration oldWindow = Duration.ofSeconds(Math.min(window.toSeconds(), 30));
          double queryingCpu;
          ScheduledExecutorService oldBoard = Executors.newSingleThreadScheduledExecutor();
          try {
            oldBoard.scheduleWithFixedDelay(() -> askAll(client, ids, Duration.ofSeconds(3)), 0, 1,
                TimeUnit.SECONDS);
            queryingCpu = cpuPercent(oldWindow);
          } finally {
            oldBoard.shutdownNow();
            oldBoard.awaitTermination(30, TimeUnit.SECONDS);
          }
          Thread.sleep(5000); // let the queries in flight drain
          out.add(String.format("N=%d: the old table (each workflow queried every second) over %d s: %.1f%% of a "
              + "core: %.0fx the projection's", count, oldWindow.toSeconds(), queryingCpu,
              queryingCpu / Math.max(projectionCpu, 0.01)));
        }

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
        String oldStatus = "";
        if (old) {
          long t = System.nanoTime();
          List<CertificateStatus> queried = askAll(client, ids, Duration.ofMinutes(5));
          long queries = System.nanoTime() - t;
          assertEquals(count, queried.size());
          oldStatus = String.format("; %.0f ms by one query per workflow (old status): %.0fx", queries / 1e6,
              (double) queries / best);
        }
        out.add(String.format("N=%d: status, all rows: %.1f ms from the worker's projection (GET /status, best of "
            + "5)%s", count, best / 1e6, oldStatus));
        out.add(cliFigures(count, temporalPort, events.port(), tokenFile));

        ReconcileActivitiesImpl reconcile = new ReconcileActivitiesImpl(inventory, client,
            new CertificateLauncher(client, CertificateWorkflow.TASK_QUEUE, false), Duration.ofHours(1));
        double[] first = timed(reconcile::reconcile);
        double[] unchanged = timed(reconcile::reconcile);
        out.add(String.format("N=%d: reconcile pass, unchanged inventory: %.1f ms, %.1f ms CPU (this thread); a "
            + "worker's first pass (one look at each): %.0f ms, %.0f ms CPU", count, unchanged[0], unchanged[1],
            first[0], first[1]));
        out.add(storm(engine, client, ids, issuer.limiter()));
        out.add(memory(count) + " (after the storm)");
        Thread.sleep(65_000); // the embedded server's retention sweeps closed runs once a minute
        out.add(memory(count) + " (after the storm and a retention sweep)");
        // the server's timeouts of the storm's finished tasks (activities: 2 min) fire for a while after it; once
        // they are gone, idle is idle
        Thread.sleep(90_000);
        Map<String, Long> lateBefore = threadCpu();
        double late = cpuPercent(window);
        out.add(String.format("N=%d: process CPU, nothing due, dev table on, over %d s from 2.5 min after the storm: "
            + "%.2f%% of a core; by thread: %s", count, window.toSeconds(), late,
            busiest(lateBefore, threadCpu(), window)));
        int top = Integer.getInteger("scale.histogram", 0);
        if (top > 0) {
          out.add(histogram(top));
        }
      }
    }
    return out;
  }

  /** Raw issuance: {@code count} keys, CSRs and signatures on {@code threads} threads; certificates per second. */
  private static double rawIssuance(Issuer issuer, int count, int threads) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      long t = System.nanoTime();
      List<Future<IssuedCertificate>> issued = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        String name = "raw" + i + ".bench.test";
        issued.add(pool.submit(() -> issuer.issue(new IssueRequest(name,
            Csrs.create(KeyPairs.generate(KeyAlgorithm.ECDSA_P256), name, List.of(name)), name, List.of(name),
            List.of(KeyUsage.SERVER), Duration.ofHours(24)))));
      }
      for (Future<IssuedCertificate> one : issued) {
        assertTrue(!one.get().chain().isEmpty());
      }
      return count / ((System.nanoTime() - t) / 1e9);
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * Every certificate renewed at once: renewNow to all, the limiter's count sampled every 100 ms for the fastest
   * second; none may fail.
   */
  private static String storm(Engine engine, WorkflowClient client, List<String> ids, IssuanceLimiter limiter)
      throws Exception {
    Map<String, Integer> before = new java.util.HashMap<>();
    engine.statuses().all().forEach(s -> before.put(s.name(), s.renewals()));
    long sentBefore = limiter.sent();
    List<long[]> samples = java.util.Collections.synchronizedList(new ArrayList<>());
    ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
    sampler.scheduleAtFixedRate(() -> {
      long at = System.nanoTime();
      long sent = limiter.sent();
      if (System.nanoTime() - at < 5_000_000L) { // a sample whose count and time are 5 ms apart or less (loaded machine)
        samples.add(new long[] {at, sent});
      }
    }, 0, 100, TimeUnit.MILLISECONDS);
    ExecutorService signals = Executors.newFixedThreadPool(8);
    long t = System.nanoTime();
    try {
      List<Future<?>> sent = new ArrayList<>();
      for (String id : ids) {
        sent.add(signals.submit(() -> client.newWorkflowStub(CertificateWorkflow.class, id).renewNow()));
      }
      for (Future<?> one : sent) {
        one.get();
      }
      double signalled = (System.nanoTime() - t) / 1e9;
      awaitAll(engine, ids.size(), s -> s.renewals() > before.getOrDefault(s.name(), 0)
          && s.phase().startsWith("waiting"), "renewed in the storm");
      double seconds = (System.nanoTime() - t) / 1e9;
      sampler.shutdown();
      sampler.awaitTermination(5, TimeUnit.SECONDS);
      long failed = engine.statuses().all().stream().filter(s -> s.consecutiveFailures() > 0).count();
      assertEquals(0, failed, "certificates failed in the storm");
      return String.format("N=%d: storm, renewNow to all at once: all renewed in %.1f s (signals sent in %.1f s), "
          + "%.1f signs/s on average, fastest second %d signs (limit %.0f/s), %d sent to the CA, %d failed",
          ids.size(), seconds, signalled, (limiter.sent() - sentBefore) / seconds, fastestSecond(samples),
          limiter.rate(), limiter.sent() - sentBefore, failed);
    } finally {
      sampler.shutdownNow();
      signals.shutdownNow();
    }
  }

  /** The most requests the samples show within any one second. */
  private static long fastestSecond(List<long[]> samples) {
    long most = 0;
    int from = 0;
    synchronized (samples) {
      for (int to = 0; to < samples.size(); to++) {
        while (samples.get(to)[0] - samples.get(from)[0] > 1_000_000_000L) {
          from++;
        }
        most = Math.max(most, samples.get(to)[1] - samples.get(from)[1]);
      }
    }
    return most;
  }

  private static void awaitAll(Engine engine, int count, java.util.function.Predicate<CertificateStatus> done,
      String what) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofMinutes(10).plusSeconds(count / 5).toNanos();
    while (true) {
      List<CertificateStatus> all = engine.statuses().all();
      if (all.size() == count && all.stream().allMatch(done)) {
        return;
      }
      assertTrue(System.nanoTime() < deadline, "not all " + what + " in time: "
          + all.stream().filter(done.negate()).limit(3).toList());
      Thread.sleep(250);
    }
  }

  /** Heap after a full GC, RSS, threads; per certificate. */
  private static String memory(int count) throws Exception {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(200);
    }
    long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    long rss = rssKiB() << 10;
    return String.format("N=%d: heap after full GC %d MiB (%.1f KiB per certificate), RSS %d MiB, %d threads",
        count, heap >> 20, heap / 1024.0 / count, rss >> 20, ManagementFactory.getThreadMXBean().getThreadCount());
  }

  /** {@code status}, {@code status --json} and {@code describe c0} run from the CLI jar, best of 3 each. */
  private static String cliFigures(int count, int temporalPort, int eventsPort, Path tokenFile) throws Exception {
    if (!Files.exists(CLI_JAR)) {
      return "N=" + count + ": CLI figures skipped: " + CLI_JAR + " is not built (mvn install -DskipTests)";
    }
    double status = cli(count, temporalPort, eventsPort, tokenFile, List.of("status"),
        outText -> outText.lines().count() >= count);
    double json = cli(count, temporalPort, eventsPort, tokenFile, List.of("status", "--json"),
        outText -> JSON.readTree(outText).size() == count);
    double describe = cli(count, temporalPort, eventsPort, tokenFile, List.of("describe", "c0"),
        outText -> outText.contains("cert/c0") && outText.contains("serial"));
    return String.format("N=%d: CLI wall time (bin/phoenix-certs, a new JVM each, best of 3): status %.0f ms, status --json %.0f ms, "
        + "describe %.0f ms", count, status, json, describe);
  }

  interface Check {
    boolean ok(String out) throws Exception;
  }

  private static double cli(int count, int temporalPort, int eventsPort, Path tokenFile, List<String> args,
      Check check) throws Exception {
    long best = Long.MAX_VALUE;
    for (int i = 0; i < 4; i++) { // the first, untimed, may write bin/phoenix-certs' class archive
      List<String> command = new ArrayList<>(List.of(CLI.toString()));
      command.addAll(args);
      ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(false);
      builder.environment().putIfAbsent("TEMPORAL_ADDRESS", "127.0.0.1:" + temporalPort);
      builder.environment().put("PHOENIX_URL", "http://127.0.0.1:" + eventsPort);
      builder.environment().put("PHOENIX_TOKEN_FILE", tokenFile.toString());
      long t = System.nanoTime();
      Process process = builder.start();
      CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
      String outText = read(process.getInputStream());
      int code = process.waitFor();
      long took = System.nanoTime() - t;
      assertTrue(code == 0 && check.ok(outText), "phoenix-certs " + args + " exited " + code + ": "
          + err.join() + outText.lines().limit(5).toList());
      best = i == 0 ? best : Math.min(best, took);
    }
    return best / 1e6;
  }

  private static String read(java.io.InputStream in) {
    try (in) {
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
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

  private static long rssKiB() throws Exception {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("\\D", ""));
      }
    }
    return -1;
  }

  /** N certificates over {@code scale.guests} (20) local guests, as in the issue's 2,000-certificate trial. */
  private static Path writeInventory(Path work, int count) throws Exception {
    int guests = Integer.getInteger("scale.guests", 20);
    StringBuilder yaml = new StringBuilder("ca: {type: local, dataDir: " + work + "/ca}\nguests:\n");
    for (int g = 0; g < guests; g++) {
      yaml.append("  - {name: g").append(g).append(", kind: local}\n");
    }
    yaml.append("certificates:\n");
    for (int i = 0; i < count; i++) {
      yaml.append("  - name: c").append(i).append("\n    guest: g").append(i % guests).append("\n    sans: [c")
          .append(i).append(".bench.test]\n    lifetime: 24h\n    files: {cert: ").append(work).append("/certs/c")
          .append(i).append(".crt, key: ").append(work).append("/certs/c").append(i).append(".key}\n");
    }
    Path file = work.resolve("inventory.yaml");
    Files.writeString(file, yaml);
    return file;
  }

  /** The heap's biggest classes (live objects), when -Dscale.histogram=N asks for the top N. */
  private static String histogram(int top) throws Exception {
    Object text = ManagementFactory.getPlatformMBeanServer().invoke(
        new javax.management.ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
        new Object[] {new String[0]}, new String[] {String[].class.getName()});
    return String.join("\n", text.toString().lines().limit(top + 3).toList());
  }

  private static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
