package ai.thinkheads.phoenix.certs.activities.issuer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.thinkheads.phoenix.certs.activities.crypto.Csrs;
import ai.thinkheads.phoenix.certs.activities.crypto.KeyPairs;
import ai.thinkheads.phoenix.certs.activities.issuer.stepca.StepCaResponseException;
import ai.thinkheads.phoenix.certs.workflows.model.KeyAlgorithm;
import ai.thinkheads.phoenix.certs.workflows.model.KeyUsage;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The issuance limiter in front of the real local CA: a storm of requests from many threads reaches the CA at the
 * configured rate and concurrency, and a CA that answers busy (429/503 with Retry-After, played by a wrapper of
 * the same CA) slows everyone down instead of failing a certificate.
 */
class IssuanceLimiterTest {

  @TempDir
  Path dir;

  @Test
  void aStormReachesTheCaAtTheConfiguredRateAndConcurrency() throws Exception {
    Watched ca = new Watched(new LocalCaIssuer(dir.resolve("ca"), "Limiter Test"), 0, null);
    IssuanceLimiter limiter = new IssuanceLimiter(20, 2);
    LimitedIssuer limited = new LimitedIssuer(ca, limiter);
    int requests = 30;
    long started = System.nanoTime();
    List<X509Certificate> issued = storm(limited, requests, 8);
    double seconds = (System.nanoTime() - started) / 1e9;

    assertEquals(requests, issued.size());
    assertEquals(requests, limiter.sent(), "requests counted as sent to the CA");
    assertEquals(requests, new HashSet<>(issued.stream().map(X509Certificate::getSerialNumber).toList()).size());
    assertTrue(ca.mostAtOnce.get() <= 2, "at most 2 at once, saw " + ca.mostAtOnce.get());
    // 30 requests spaced 50 ms apart: the first at once, the last 1.45 s later
    assertTrue(seconds >= 1.4, "30 requests at 20 per second took only " + seconds + " s");
    double fastest = ca.fastestRate(10);
    assertTrue(fastest <= 20 * 1.15, "no burst: 10 in a row went at " + fastest + " per second");
  }

  @Test
  void aBusyCaSlowsTheRateAndNoCertificateFails() throws Exception {
    // the CA answers 429 with Retry-After: 1 to the first 3 requests, then signs
    Watched ca = new Watched(new LocalCaIssuer(dir.resolve("ca"), "Limiter Test"), 3, Duration.ofSeconds(1));
    IssuanceLimiter limiter = new IssuanceLimiter(50, 4);
    long started = System.nanoTime();
    List<X509Certificate> issued = storm(new LimitedIssuer(ca, limiter), 12, 6);
    double seconds = (System.nanoTime() - started) / 1e9;

    assertEquals(12, issued.size(), "every certificate issued, none failed");
    assertEquals(3, limiter.busyAnswers());
    assertEquals(15, limiter.sent(), "12 signed and 3 answered busy, each sent once");
    assertTrue(seconds >= 1.0, "everyone waited the CA's Retry-After: " + seconds + " s");
    assertTrue(ca.firstStartAfterBusy() >= 950, "no request was sent within the CA's Retry-After: "
        + ca.firstStartAfterBusy() + " ms");
    assertTrue(limiter.rate() < 50, "the rate is still recovering: " + limiter.rate());
  }

  @Test
  void aCaBusyLongerThanAStepWaitsLeavesAsUnavailableForTemporalToRetry() {
    Watched ca = new Watched(new LocalCaIssuer(dir.resolve("ca"), "Limiter Test"), Integer.MAX_VALUE,
        Duration.ofMinutes(5));
    IssuerBusyException busy = assertThrows(IssuerBusyException.class,
        () -> new LimitedIssuer(ca, new IssuanceLimiter(50, 4)).issue(request("late", KeyPairs.generate(
            KeyAlgorithm.ECDSA_P256))));
    assertTrue(busy.getMessage().contains("HTTP 429"), busy.getMessage());
    assertEquals(1, ca.calls.get(), "a Retry-After beyond the step's wait is not waited out: asked once");
  }

  private static List<X509Certificate> storm(Issuer issuer, int requests, int threads) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<X509Certificate>> answers = new ArrayList<>();
      for (int i = 0; i < requests; i++) {
        String name = "c" + i;
        answers.add(pool.submit(() -> issuer.issue(request(name, KeyPairs.generate(KeyAlgorithm.ECDSA_P256)))
            .leaf()));
      }
      List<X509Certificate> out = new ArrayList<>();
      for (Future<X509Certificate> answer : answers) {
        out.add(answer.get());
      }
      return out;
    } finally {
      pool.shutdownNow();
    }
  }

  private static IssueRequest request(String name, KeyPair keys) {
    String san = name + ".limiter.test";
    return new IssueRequest(name, Csrs.create(keys, san, List.of(san)), san, List.of(san), List.of(KeyUsage.SERVER),
        Duration.ofHours(1));
  }

  /**
   * The real CA, watched: how many requests it had at once, when each was signed; the first {@code busyFor}
   * requests are answered busy, as step-ca's 429 reaches the limiter.
   */
  private static final class Watched implements Issuer {
    final Issuer ca;
    final int busyFor;
    final Duration retryAfter;
    final AtomicInteger calls = new AtomicInteger();
    final AtomicInteger atOnce = new AtomicInteger();
    final AtomicInteger mostAtOnce = new AtomicInteger();
    final List<Long> signedAt = Collections.synchronizedList(new ArrayList<>());
    final List<Long> startedAt = Collections.synchronizedList(new ArrayList<>());
    volatile long firstBusyAt;

    Watched(Issuer ca, int busyFor, Duration retryAfter) {
      this.ca = ca;
      this.busyFor = busyFor;
      this.retryAfter = retryAfter;
    }

    @Override
    public String type() {
      return ca.type();
    }

    @Override
    public IssuedCertificate issue(IssueRequest request) {
      startedAt.add(System.nanoTime());
      int now = atOnce.incrementAndGet();
      mostAtOnce.accumulateAndGet(now, Math::max);
      try {
        if (calls.incrementAndGet() <= busyFor) {
          if (firstBusyAt == 0) {
            firstBusyAt = System.nanoTime();
          }
          throw new IssuerBusyException("issue " + request.certificateName() + ": busy (HTTP 429: slow down)",
              retryAfter, new StepCaResponseException("POST /1.0/sign", 429, "slow down", retryAfter));
        }
        signedAt.add(System.nanoTime());
        return ca.issue(request);
      } finally {
        atOnce.decrementAndGet();
      }
    }

    @Override
    public X509Certificate root() {
      return ca.root();
    }

    /** The highest rate over {@code window} consecutive signatures, per second. */
    double fastestRate(int window) {
      List<Long> times = new ArrayList<>(signedAt);
      Collections.sort(times);
      double fastest = 0;
      for (int i = window; i < times.size(); i++) {
        fastest = Math.max(fastest, window / ((times.get(i) - times.get(i - window)) / 1e9));
      }
      return fastest;
    }

    /**
     * From the first busy answer to the first request sent after it. Those in flight then do not count, nor one
     * that started within 5 ms of it: it passed the limiter before the answer reached it.
     */
    long firstStartAfterBusy() {
      long inFlight = firstBusyAt + 5_000_000;
      return startedAt.stream().filter(t -> t > inFlight).mapToLong(t -> (t - firstBusyAt) / 1_000_000).min()
          .orElseThrow();
    }
  }
}
