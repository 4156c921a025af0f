package ai.thinkheads.phoenix.certs.worker.bench;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.thinkheads.phoenix.certs.activities.crypto.Csrs;
import ai.thinkheads.phoenix.certs.activities.crypto.KeyPairs;
import ai.thinkheads.phoenix.certs.activities.crypto.Pem;
import ai.thinkheads.phoenix.certs.activities.issuer.IssueRequest;
import ai.thinkheads.phoenix.certs.activities.issuer.IssuedCertificate;
import ai.thinkheads.phoenix.certs.activities.issuer.LocalCaIssuer;
import ai.thinkheads.phoenix.certs.activities.transport.FileAttributes;
import ai.thinkheads.phoenix.certs.activities.transport.LocalTransport;
import ai.thinkheads.phoenix.certs.worker.WorkerCommand;
import ai.thinkheads.phoenix.certs.workflows.model.KeyAlgorithm;
import ai.thinkheads.phoenix.certs.workflows.model.KeyUsage;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Figures for issue 2, printed, not asserted against a clock: the dev stack's time to its first certificate,
 * certificates per second through the workflow against the raw issuer in the same run, and the resident memory of
 * the dev stack with the demo inventory and with 500 certificates. Run: {@code bin/bench} (or
 * {@code mvn -Pbenchmark -pl worker -am verify -Dtest=DevStackBenchmark -Dsurefire.failIfNoSpecifiedTests=false}).
 */
@Tag("benchmark")
class DevStackBenchmark {

  static final int MANY = 500;
  static final int ACTIVITY_THREADS = 16;

  @TempDir
  Path dir;

  @Test
  void devStackFigures() throws Exception {
    Path demo = Path.of("../examples/demo.yaml").toAbsolutePath();
    Run demoRun = runDev(dir.resolve("demo"), demo, 3);
    Path many = writeInventory(dir.resolve("many"), MANY);
    Run manyRun = runDev(dir.resolve("many"), many, MANY);
    double raw = rawIssuerRate(dir.resolve("raw"), MANY);
    double throughWorkflow = MANY / manyRun.allIssuedSeconds();

    System.out.printf("%n== dev stack (java %s, %d cores)%n", System.getProperty("java.version"),
        Runtime.getRuntime().availableProcessors());
    System.out.printf("start -> first certificate written (demo):  %.2f s (target < 15 s)%n",
        demoRun.firstSeconds());
    System.out.printf("start -> all 3 demo certificates:           %.2f s%n", demoRun.allIssuedSeconds());
    System.out.printf("RSS, demo inventory (3 certificates):       %d MiB%n", demoRun.rssMiB());
    System.out.printf("start -> all %d certificates:              %.2f s%n", MANY, manyRun.allIssuedSeconds());
    System.out.printf("RSS, %d certificates:                      %d MiB (target < 512 MiB)%n", MANY,
        manyRun.rssMiB());
    System.out.printf("raw issuer (keygen + sign + write pair, %d threads): %.1f certs/s%n", ACTIVITY_THREADS, raw);
    System.out.printf("through CertificateWorkflow (start included):      %.1f certs/s = %.2fx the raw rate%n",
        throughWorkflow, throughWorkflow / raw);
    assertTrue(manyRun.rssMiB() > 0 && demoRun.firstSeconds() > 0);
  }

  /** Starts {@code dev} in its own JVM with bin/dev's flags, waits for the certificates, samples its RSS. */
  private Run runDev(Path workDir, Path inventory, int expected) throws Exception {
    Files.createDirectories(workDir);
    List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:+UseSerialGC", "-Xss512k", "-cp", System.getProperty("java.class.path"), WorkerCommand.class.getName(),
        "dev", "--inventory", inventory.toString(), "--temporal-port", String.valueOf(freePort()));
    long start = System.nanoTime();
    Process process = new ProcessBuilder(command).directory(workDir.toFile())
        .redirectOutput(workDir.resolve("dev.out").toFile()).redirectError(workDir.resolve("dev.err").toFile())
        .start();
    try {
      double first = -1;
      long deadline = System.currentTimeMillis() + 180_000;
      int count = 0;
      while (System.currentTimeMillis() < deadline) {
        count = countCertificates(workDir.resolve("var").toFile());
        if (count > 0 && first < 0) {
          first = (System.nanoTime() - start) / 1e9;
        }
        if (count >= expected) {
          break;
        }
        if (!process.isAlive()) {
          throw new AssertionError("dev exited: " + Files.readString(workDir.resolve("dev.err")));
        }
        Thread.sleep(20);
      }
      double all = (System.nanoTime() - start) / 1e9;
      if (count < expected) {
        throw new AssertionError(count + " of " + expected + " certificates after 180 s");
      }
      Thread.sleep(5000); // let the workflows settle into their timers before sampling memory
      return new Run(first, all, rssMiB(process.pid()));
    } finally {
      process.destroy();
      process.waitFor();
    }
  }

  /** Live certificate files under var/ (not the CA's); java.io.File, as temp files come and go meanwhile. */
  private static int countCertificates(File dir) {
    File[] entries = dir.listFiles();
    if (entries == null) {
      return 0;
    }
    int count = 0;
    for (File entry : entries) {
      String name = entry.getName();
      if (entry.isDirectory()) {
        count += name.equals("ca") ? 0 : countCertificates(entry);
      } else if (name.endsWith(".crt") || name.equals("cert.pem")) {
        count++;
      }
    }
    return count;
  }

  private static long rssMiB(long pid) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
      }
    }
    return -1;
  }

  /** The same work as issueAndStage + activate, without Temporal: key, CSR, signature, two atomic writes. */
  private static double rawIssuerRate(Path dir, int count) throws Exception {
    LocalCaIssuer issuer = new LocalCaIssuer(dir.resolve("ca"), "Bench");
    issuer.root();
    LocalTransport transport = new LocalTransport("local/bench");
    ExecutorService pool = Executors.newFixedThreadPool(ACTIVITY_THREADS);
    long start = System.nanoTime();
    List<Future<?>> done = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      int n = i;
      done.add(pool.submit(() -> {
        List<String> sans = List.of("c" + n + ".bench.test");
        KeyPair keys = KeyPairs.generate(KeyAlgorithm.ECDSA_P256);
        IssuedCertificate issued = issuer.issue(new IssueRequest("c" + n, Csrs.create(keys, sans.get(0), sans),
            sans.get(0), sans, List.of(KeyUsage.SERVER), Duration.ofHours(1)));
        transport.write(dir.resolve("c" + n + ".key").toString(), Pem.bytes(Pem.encode(keys.getPrivate())),
            FileAttributes.mode("0600"));
        transport.write(dir.resolve("c" + n + ".crt").toString(), Pem.bytes(Pem.encodeChain(issued.chain())),
            FileAttributes.mode("0644"));
        return null;
      }));
    }
    for (Future<?> f : done) {
      f.get();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    pool.shutdown();
    return count / seconds;
  }

  private static Path writeInventory(Path workDir, int count) throws IOException {
    Files.createDirectories(workDir);
    StringBuilder yaml = new StringBuilder("""
        ca: {type: local, dataDir: ./var/ca}
        guests:
          - {name: here, kind: local}
        certificates:
        """);
    for (int i = 0; i < count; i++) {
      yaml.append("""
            - name: cert-%1$d
              guest: here
              sans: [cert-%1$d.bench.test]
              lifetime: 1h
              files: {cert: ./var/certs/cert-%1$d.crt, key: ./var/certs/cert-%1$d.key}
          """.formatted(i));
    }
    Path file = workDir.resolve("inventory.yaml");
    Files.writeString(file, yaml);
    return file;
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private record Run(double firstSeconds, double allIssuedSeconds, long rssMiB) {}
}
