package ai.thinkheads.phoenix.certs.workflows.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class PromptQueryTest {

  static final Duration AGAIN = Duration.ofMillis(200);

  @Test
  void aPromptAnswerIsAskedOnce() throws Exception {
    AtomicInteger asked = new AtomicInteger();
    assertEquals("idle", PromptQuery.ask(() -> {
      asked.incrementAndGet();
      return "idle";
    }, AGAIN).get(5, TimeUnit.SECONDS));
    Thread.sleep(AGAIN.toMillis() * 2);
    assertEquals(1, asked.get());
  }

  @Test
  void aStuckQueryIsAskedAgainAndTheSecondAnswerWins() throws Exception {
    CountDownLatch never = new CountDownLatch(1);
    AtomicInteger asked = new AtomicInteger();
    Supplier<String> query = () -> {
      if (asked.incrementAndGet() == 1) {
        await(never); // the query that met a continue-as-new on Temporal's test server
        return "old run";
      }
      return "new run";
    };
    long started = System.nanoTime();
    assertEquals("new run", PromptQuery.ask(query, AGAIN).get(5, TimeUnit.SECONDS));
    long millis = (System.nanoTime() - started) / 1_000_000;
    assertTrue(millis >= AGAIN.toMillis() && millis < 2000, "answered after " + millis + " ms");
    assertEquals(2, asked.get());
    never.countDown();
  }

  @Test
  void aFailureIsAnAnswerAndIsThrownAsItIs() {
    AtomicInteger asked = new AtomicInteger();
    IllegalStateException notFound = new IllegalStateException("cert/x is not running");
    IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> PromptQuery.answer(() -> {
      asked.incrementAndGet();
      throw notFound;
    }));
    assertSame(notFound, thrown);
    assertEquals(1, asked.get());
  }

  @Test
  void whenBothQueriesFailTheAnswerFails() {
    AtomicInteger asked = new AtomicInteger();
    Supplier<String> query = () -> {
      if (asked.incrementAndGet() == 1) {
        sleep(AGAIN.toMillis() * 3);
      }
      throw new IllegalStateException("query " + asked.get() + " failed");
    };
    var answer = PromptQuery.ask(query, AGAIN);
    var failure = assertThrows(java.util.concurrent.ExecutionException.class, () -> answer.get(5, TimeUnit.SECONDS));
    assertTrue(failure.getCause() instanceof IllegalStateException, failure.toString());
    assertEquals(2, asked.get());
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
