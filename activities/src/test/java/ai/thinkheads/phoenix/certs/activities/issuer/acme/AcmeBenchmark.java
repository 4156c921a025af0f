package ai.thinkheads.phoenix.certs.activities.issuer.acme;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.thinkheads.phoenix.certs.activities.crypto.Csrs;
import ai.thinkheads.phoenix.certs.activities.crypto.KeyPairs;
import ai.thinkheads.phoenix.certs.activities.issuer.IssueRequest;
import ai.thinkheads.phoenix.certs.activities.issuer.Issuer;
import ai.thinkheads.phoenix.certs.activities.issuer.IssuerContext;
import ai.thinkheads.phoenix.certs.activities.issuer.stepca.StepCaIssuer;
import ai.thinkheads.phoenix.certs.activities.testing.acme.AcmeTestbed;
import ai.thinkheads.phoenix.certs.activities.testing.acme.ChallengeNginx;
import ai.thinkheads.phoenix.certs.activities.testing.guest.SimulatedGuests;
import ai.thinkheads.phoenix.certs.activities.testing.stepca.StepCaServer;
import ai.thinkheads.phoenix.certs.activities.transport.Transport;
import ai.thinkheads.phoenix.certs.activities.transport.ssh.SshConnectionPool;
import ai.thinkheads.phoenix.certs.activities.transport.ssh.SshTransportFactory;
import ai.thinkheads.phoenix.certs.workflows.model.KeyAlgorithm;
import ai.thinkheads.phoenix.certs.workflows.model.KeyUsage;
import ai.thinkheads.phoenix.certs.workflows.model.TargetSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issuance time on one step-ca, in one run: its ACME provisioner through {@link AcmeIssuer} (new order, http-01
 * answered through the guest's webroot over ssh and fetched by the CA from the guest's nginx, finalize, download,
 * answer check) against its JWK provisioner through {@link StepCaIssuer} (one-time token, sign, answer check).
 * Both get a fresh key's CSR per certificate (made beforehand, not timed); the ACME account is registered during
 * the warm-up. Sequential latency, interleaved so that drift on the shared machine hits both alike, then
 * throughput at a few certificates at once.
 *
 * <p>Run: {@code bin/bench AcmeBenchmark}
 */
@Tag("benchmark")
@ExtendWith(AcmeTestbed.class)
class AcmeBenchmark {

  @RegisterExtension
  static final SimulatedGuests GUESTS = SimulatedGuests.count(1);

  static final int WARM_UP = 10;
  static final int SEQUENTIAL = Integer.getInteger("acme.bench.count", 60);
  static final int CONCURRENCY = 4;
  static final Duration ROUND = Duration.ofSeconds(10);
  static final String NAME = "bench.internal.test";

  @TempDir
  Path dir;

  @Test
  void acmeIssuanceAgainstJwkIssuanceOnTheSameStepCa(AcmeTestbed testbed) throws Exception {
    StepCaServer ca = testbed.stepCa();
    try (SshConnectionPool pool = new SshConnectionPool()) {
      Transport guest = new SshTransportFactory(pool).open(new TargetSpec("ssh", "lxc/101",
          GUESTS.guest(0).sshOptions(GUESTS.keys().ed25519())));
      ChallengeNginx web = new ChallengeNginx(GUESTS.guest(0), testbed.webAddress(), List.of(80));
      web.start(guest);
      try {
        Issuer acme = new AcmeIssuer(new AcmeConfig(ca.acmeDirectory(), ca.fingerprint(), null, null,
            dir.resolve("account.pem"), null, web.webroot(), Duration.ofSeconds(10)), new IssuerContext(n -> guest));
        Issuer jwk = new StepCaIssuer(ca.config());
        for (int i = 0; i < WARM_UP; i++) { // JIT, TLS sessions, the ACME account, the provisioner key
          acme.issue(request());
          jwk.issue(request());
        }
        int fetchedBefore = fetches(web);
        List<Long> acmeNanos = new ArrayList<>();
        List<Long> jwkNanos = new ArrayList<>();
        for (int i = 0; i < SEQUENTIAL; i++) {
          acmeNanos.add(time(acme, request()));
          jwkNanos.add(time(jwk, request()));
        }
        int fetched = fetches(web) - fetchedBefore;
        List<Long> answerNanos = new ArrayList<>(); // what the guest's part costs: put, then remove, over ssh
        Http01Webroot webroot = new Http01Webroot(web.webroot());
        for (int i = 0; i < SEQUENTIAL; i++) {
          long start = System.nanoTime();
          webroot.remove(guest, webroot.put(guest, "bench-token-" + i, "key-authorization"));
          answerNanos.add(System.nanoTime() - start);
        }
        double acmeRate = rate(acme);
        double jwkRate = rate(jwk);

        System.out.printf("ACME against JWK issuance on one step-ca 0.19, %d cores, %d certificates each "
            + "(interleaved, after %d warm-up):%n", Runtime.getRuntime().availableProcessors(), SEQUENTIAL, WARM_UP);
        System.out.printf("  JWK provisioner  (StepCaIssuer): median %6.1f ms, p90 %6.1f ms, mean %6.1f ms; "
            + "%5.1f certs/s at %d at once%n", percentile(jwkNanos, 50), percentile(jwkNanos, 90), mean(jwkNanos),
            jwkRate, CONCURRENCY);
        System.out.printf("  ACME provisioner (AcmeIssuer)  : median %6.1f ms, p90 %6.1f ms, mean %6.1f ms; "
            + "%5.1f certs/s at %d at once%n", percentile(acmeNanos, 50), percentile(acmeNanos, 90),
            mean(acmeNanos), acmeRate, CONCURRENCY);
        System.out.printf("  ACME / JWK: %.1fx the median time; the CA fetched %d http-01 answers from the "
            + "guest's nginx for %d ACME certificates%n", percentile(acmeNanos, 50) / percentile(jwkNanos, 50),
            fetched, SEQUENTIAL);
        System.out.printf("  of an ACME issuance, the answer put into and removed from the guest's webroot over "
            + "ssh: median %.1f ms, p90 %.1f ms%n", percentile(answerNanos, 50), percentile(answerNanos, 90));
        assertEquals(SEQUENTIAL, fetched, "one validation per ACME certificate, through the guest");
        assertEquals(List.of(), web.leftovers());
        assertTrue(acmeRate > 0 && jwkRate > 0);
      } finally {
        web.stop(guest);
      }
    }
  }

  private static IssueRequest request() {
    return new IssueRequest("bench", Csrs.create(KeyPairs.generate(KeyAlgorithm.ECDSA_P256), NAME, List.of(NAME)),
        NAME, List.of(NAME), List.of(KeyUsage.SERVER), null);
  }

  private static long time(Issuer issuer, IssueRequest request) {
    long start = System.nanoTime();
    issuer.issue(request);
    return System.nanoTime() - start;
  }

  /** Certificates per second with {@value #CONCURRENCY} issuing at once for {@link #ROUND}. */
  private static double rate(Issuer issuer) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(CONCURRENCY);
    AtomicInteger done = new AtomicInteger();
    long start = System.nanoTime();
    long end = start + ROUND.toNanos();
    List<Future<?>> workers = new ArrayList<>();
    for (int i = 0; i < CONCURRENCY; i++) {
      workers.add(pool.submit(() -> {
        while (System.nanoTime() < end) {
          issuer.issue(request());
          done.incrementAndGet();
        }
      }));
    }
    for (Future<?> worker : workers) {
      worker.get();
    }
    pool.shutdown();
    return done.get() / ((System.nanoTime() - start) / 1e9);
  }

  private static final Pattern CHALLENGE_GET = Pattern.compile("GET /\\.well-known/acme-challenge/");

  private static int fetches(ChallengeNginx web) {
    Matcher m = CHALLENGE_GET.matcher(web.accessLog());
    int n = 0;
    while (m.find()) {
      n++;
    }
    return n;
  }

  private static double percentile(List<Long> nanos, int p) {
    List<Long> sorted = nanos.stream().sorted().toList();
    return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1)) / 1e6;
  }

  private static double mean(List<Long> nanos) {
    return nanos.stream().mapToLong(Long::longValue).average().orElse(0) / 1e6;
  }
}
