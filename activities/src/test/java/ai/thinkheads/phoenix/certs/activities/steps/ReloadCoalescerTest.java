package ai.thinkheads.phoenix.certs.activities.steps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
    ReloadCoalescer coalescer = new ReloadCoalescer(Duration.ofMillis(300));
    AtomicInteger guestA = new AtomicInteger();
    AtomicInteger guestB = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(12);
    List<Future<String>> results = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      results.add(pool.submit(() -> coalescer.reload("a", () -> "reloaded a #" + guestA.incrementAndGet())));
    }
    results.add(pool.submit(() -> coalescer.reload("b", () -> "reloaded b #" + guestB.incrementAndGet())));
    for (Future<String> result : results) {
      result.get();
    }
    assertEquals(1, guestA.get(), "ten certificates on guest a, one reload");
    assertEquals(1, guestB.get());
    assertEquals("reloaded a #1", results.get(9).get());

    // after the batch ran, a new request gets a new reload: its files changed after the last one began
    coalescer.reload("a", () -> "reloaded a #" + guestA.incrementAndGet());
    assertEquals(2, guestA.get());
    pool.shutdown();
  }

  @Test
  void aFailedReloadFailsEveryoneInTheBatch() {
    ReloadCoalescer coalescer = new ReloadCoalescer(Duration.ofMillis(10));
    StepFailedException e = assertThrows(StepFailedException.class, () -> coalescer.reload("a", () -> {
      throw new StepFailedException("CommandFailed", "nginx: exited 1");
    }));
    assertEquals("CommandFailed", e.kind());
  }
}
