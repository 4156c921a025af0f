package ai.thinkheads.phoenix.certs.activities.issuer.stepca;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.thinkheads.phoenix.certs.activities.crypto.Pem;
import ai.thinkheads.phoenix.certs.activities.testing.stepca.StepCaExtension;
import ai.thinkheads.phoenix.certs.activities.testing.stepca.StepCaServer;
import ai.thinkheads.phoenix.certs.workflows.model.KeyAlgorithm;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.management.OperatingSystemMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Sign rate through {@link StepCaIssuer} against a raw tight loop of {@code POST /1.0/sign} at the same
 * concurrency, in the same run, on the same CA. Both sides reuse one pre-built CSR and mint a fresh token per
 * call (tokens are single use) with the already decrypted key; the issuer adds its JSON handling, PEM parsing,
 * retry bookkeeping and the answer check (PKIX to the pinned root, SANs, key, validity).
 *
 * <p>Run: {@code mvn -o -pl activities -am verify -Pbenchmark -Dtest=StepCaBenchmarkTest
 * -Dsurefire.failIfNoSpecifiedTests=false}
 */
@Tag("benchmark")
@ExtendWith(StepCaExtension.class)
class StepCaBenchmarkTest {

  static final int CONCURRENCY = 8;
  static final Duration ROUND = Duration.ofSeconds(Long.getLong("stepca.bench.seconds", 5));
  static final Duration WARM_UP = Duration.ofSeconds(4);
  static final int ROUNDS = 6;
  /** The issue's target: the issuer costs at most this much throughput against the raw path. */
  static final double MAX_OVERHEAD_PERCENT = 20;

  @Test
  void issuerSignRateAgainstRawSignCalls(StepCaServer ca) throws Exception {
    StepCaIssuer issuer = new StepCaIssuer(ca.config());
    Requests request = Requests.of(KeyAlgorithm.ECDSA_P256, null, "bench.internal.test");
    ProvisionerKey key = issuer.provisionerKey();
    String fingerprint = issuer.rootFingerprint();
    HttpClient http = HttpClient.newBuilder().sslContext(issuer.pinnedTls()).build();
    URI sign = ca.config().endpoint("/1.0/sign");
    ObjectMapper json = new ObjectMapper();
    String csr = Pem.encode(request.request().csr());

    Runnable raw = () -> {
      try {
        String token = OneTimeToken.forSign(key, ca.config(), fingerprint, "bench.internal.test",
            List.of("bench.internal.test"), Instant.now()).value();
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(sign)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(Map.of("csr", csr, "ott", token))))
            .build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 201) {
          throw new IllegalStateException("raw sign: HTTP " + response.statusCode() + ": " + response.body());
        }
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    };
    Runnable throughIssuer = () -> issuer.issue(request.request());

    run(raw, WARM_UP, ca.pid()); // warm up both paths: JIT, TLS sessions, HTTP/2 connections
    run(throughIssuer, WARM_UP, ca.pid());
    List<Round> rawRounds = new ArrayList<>();
    List<Round> issuerRounds = new ArrayList<>();
    for (int round = 0; round < ROUNDS; round++) { // interleaved, so drift on the machine hits both alike
      rawRounds.add(run(raw, ROUND, ca.pid()));
      issuerRounds.add(run(throughIssuer, ROUND, ca.pid()));
    }
    double rawRate = mean(rawRounds, Round::rate);
    double issuerRate = mean(issuerRounds, Round::rate);
    // The machine is shared: a neighbour's load swings single rounds by 2x. Each issuer round is compared with
    // the raw round just before it, and the median of those pairs is the figure.
    List<Double> paired = new ArrayList<>();
    for (int i = 0; i < ROUNDS; i++) {
      paired.add((rawRounds.get(i).rate() - issuerRounds.get(i).rate()) / rawRounds.get(i).rate() * 100);
    }
    double overhead = median(paired);
    double rawCpu = mean(rawRounds, Round::jvmCpuMillis) + mean(rawRounds, Round::caCpuMillis);
    double issuerCpu = mean(issuerRounds, Round::jvmCpuMillis) + mean(issuerRounds, Round::caCpuMillis);
    System.out.printf("step-ca sign benchmark, concurrency %d, %d interleaved rounds of %d s, %d cores:%n",
        CONCURRENCY, ROUNDS, ROUND.toSeconds(), Runtime.getRuntime().availableProcessors());
    System.out.printf("  raw /1.0/sign : %6.1f certs/s %s; CPU per cert: JVM %.2f ms, step-ca %.2f ms%n", rawRate,
        format(rawRounds), mean(rawRounds, Round::jvmCpuMillis), mean(rawRounds, Round::caCpuMillis));
    System.out.printf("  StepCaIssuer  : %6.1f certs/s %s; CPU per cert: JVM %.2f ms, step-ca %.2f ms%n",
        issuerRate, format(issuerRounds), mean(issuerRounds, Round::jvmCpuMillis),
        mean(issuerRounds, Round::caCpuMillis));
    System.out.printf("  issuer overhead: median of paired rounds %.1f %% %s (target <= %.0f %%); "
        + "by mean rates %.1f %%; by CPU per cert %.1f %%%n", overhead,
        paired.stream().map(p -> String.format("%.0f", p)).toList(), MAX_OVERHEAD_PERCENT,
        (rawRate - issuerRate) / rawRate * 100, (issuerCpu - rawCpu) / issuerCpu * 100);
    System.out.printf("  provisioner key decryptions in this process: %d%n", ProvisionerKey.decryptions());
    System.out.printf("  issuer activity: %s%n", issuer.activity());

    assertEquals(1, ProvisionerKey.decryptions(), "the provisioner key is decrypted once per process");
    assertEquals(0, issuer.activity().tokensRefused(), "every token was accepted");
    assertTrue(overhead <= MAX_OVERHEAD_PERCENT, "issuer overhead " + overhead + " % above the target");
  }

  /** One measured round: certificates per second, and CPU per certificate in this JVM and in step-ca. */
  record Round(double rate, double jvmCpuMillis, double caCpuMillis) {}

  /** Calls {@code call} from {@value #CONCURRENCY} threads for {@code length}. */
  private static Round run(Runnable call, Duration length, long caPid) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(CONCURRENCY);
    AtomicLong done = new AtomicLong();
    OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    long jvmCpu = os.getProcessCpuTime();
    long caCpu = cpuNanos(caPid);
    long start = System.nanoTime();
    long end = start + length.toNanos();
    List<Future<?>> workers = new ArrayList<>();
    for (int i = 0; i < CONCURRENCY; i++) {
      workers.add(pool.submit(() -> {
        while (System.nanoTime() < end) {
          call.run();
          done.incrementAndGet();
        }
      }));
    }
    for (Future<?> worker : workers) {
      worker.get(); // a failed call fails the benchmark
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    pool.shutdown();
    long certs = Math.max(1, done.get());
    return new Round(done.get() / seconds, (os.getProcessCpuTime() - jvmCpu) / 1e6 / certs,
        (cpuNanos(caPid) - caCpu) / 1e6 / certs);
  }

  /** User + system CPU of a process, from /proc (clock ticks of 10 ms on Linux). */
  private static long cpuNanos(long pid) throws IOException {
    String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10_000_000L;
  }

  private static double mean(List<Round> rounds, ToDoubleFunction<Round> value) {
    return rounds.stream().mapToDouble(value).average().orElse(0);
  }

  private static double median(List<Double> values) {
    List<Double> sorted = values.stream().sorted().toList();
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  private static String format(List<Round> rounds) {
    return rounds.stream().map(r -> String.format("%.0f", r.rate())).toList().toString();
  }
}
