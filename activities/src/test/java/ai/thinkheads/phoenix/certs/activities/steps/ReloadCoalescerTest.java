package ai.thinkheads.phoenix.certs.activities.steps;

import ai.thinkheads.phoenix.certs.workflows.failure.FailureType;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ReloadCoalescerTest {

  @Test
  void requestsWithinTheWindowShareOneReloadPerKey() throws Exception {
    ReloadCoalescer coalescer = new ReloadCoalescer(Duration.ofMillis(300), Duration.ofSeconds(5));
    AtomicInteger guestA = new AtomicInteger();
    AtomicInteger guestB = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(12);
    List<Future<String>> results = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      String name = "cert-" + i;
      results.add(pool.submit(() -> coalescer.reload("a", name, () -> "reloaded a #" + guestA.incrementAndGet())));
    }
    results.add(pool.submit(() -> coalescer.reload("b", "cert-b", () -> "reloaded b #" + guestB.incrementAndGet())));
    for (Future<String> result : results) {
      result.get();
    }
    assertEquals(1, guestA.get(), "ten certificates on guest a, one reload");
    assertEquals(1, guestB.get());
    assertEquals("reloaded a #1", results.get(9).get());

    // after the batch ran, a new request gets a new reload: its files changed after the last one began
    coalescer.reload("a", "cert-0", () -> "reloaded a #" + guestA.incrementAndGet());
    assertEquals(2, guestA.get());
    pool.shutdown();
  }

  @Test
  void aBatchWaitsForCertificatesWhosePairsAreInPlace() throws Exception {
    ReloadCoalescer coalescer = new ReloadCoalescer(Duration.ofMillis(100), Duration.ofSeconds(5));
    AtomicInteger reloads = new AtomicInteger();
    coalescer.expect("a", "early");
    coalescer.expect("a", "late");
    ExecutorService pool = Executors.newFixedThreadPool(2);
    Future<String> early = pool.submit(() -> coalescer.reload("a", "early", () -> "#" + reloads.incrementAndGet()));
    Thread.sleep(800); // "late" is still validating, well past the window
    Future<String> late = pool.submit(() -> coalescer.reload("a", "late", () -> "#" + reloads.incrementAndGet()));
    assertEquals("#1", early.get());
    assertEquals("#1", late.get());
    assertEquals(1, reloads.get(), "one reload for both");

    // an expected certificate that never asks holds a batch up for maxWait at most
    ReloadCoalescer bounded = new ReloadCoalescer(Duration.ofMillis(10), Duration.ofMillis(300));
    bounded.expect("a", "gone");
    long start = System.nanoTime();
    assertEquals("ran", bounded.reload("a", "here", () -> "ran"));
    long waited = (System.nanoTime() - start) / 1_000_000;
    assertTrue(waited >= 300 && waited < 5000, "waited " + waited + " ms");
    pool.shutdown();
  }

  @Test
  void aFailedReloadFailsEveryoneInTheBatch() {
    ReloadCoalescer coalescer = new ReloadCoalescer(Duration.ofMillis(10), Duration.ofSeconds(5));
    StepFailedException e = assertThrows(StepFailedException.class, () -> coalescer.reload("a", "cert-0", () -> {
      throw new StepFailedException(FailureType.COMMAND_FAILED, "nginx: exited 1");
    }));
    assertEquals("CommandFailed", e.type().type());
  }
}
