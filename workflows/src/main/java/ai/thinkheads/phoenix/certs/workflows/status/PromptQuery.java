package ai.thinkheads.phoenix.certs.workflows.status;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Asks a workflow query from a client (never from workflow code), and asks once more if the answer is slow;
 * the first answer wins.
 *
 * <p>Temporal's Java test server, which is the embedded dev server and the server of our tests, never answers
 * a query that arrives while the workflow task that continues the run as new is running: that task's
 * completion is refused ("workflow execution already completed"), and the query waits out the client's query
 * deadline (10 s) before the client's retry reaches the new run. A query asked again after
 * {@link #ASK_AGAIN_AFTER} reaches the new run at once. A real Temporal server answers such a query from the
 * closed run, in time, and no second query is sent.
 */
public final class PromptQuery {

  /** Far above a normal answer (milliseconds), far below the client's 10 s query deadline. */
  public static final Duration ASK_AGAIN_AFTER = Duration.ofSeconds(1);

  /** Queries in flight at once, from one process: enough for a table of hundreds, gentle on the worker. */
  static final int PARALLEL = 16;

  private static final ExecutorService THREADS = Executors.newFixedThreadPool(PARALLEL, r -> {
    Thread thread = new Thread(r, "workflow-query");
    thread.setDaemon(true);
    return thread;
  });

  private PromptQuery() {}

  /** The query's answer; its failure is thrown as it is (WorkflowNotFoundException, WorkflowQueryException...). */
  public static <T> T answer(Supplier<T> query) {
    return await(ask(query));
  }

  /** Waits for what {@link #ask} started; a failure is thrown as the query threw it. */
  public static <T> T await(CompletableFuture<T> asked) {
    try {
      return asked.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException failure) {
        throw failure;
      }
      if (e.getCause() instanceof Error error) {
        throw error;
      }
      throw e;
    }
  }

  /** Asks now, in the background; the future fails only when every query asked has failed. */
  public static <T> CompletableFuture<T> ask(Supplier<T> query) {
    return ask(query, ASK_AGAIN_AFTER);
  }

  static <T> CompletableFuture<T> ask(Supplier<T> query, Duration askAgainAfter) {
    CompletableFuture<T> answer = new CompletableFuture<>();
    AtomicInteger unanswered = new AtomicInteger(1); // queries asked that have neither answered nor failed
    Runnable askAgain = () -> {
      // still waiting, and the first query has not failed (a failure is an answer: not found, query failed)
      if (!answer.isDone() && unanswered.getAndIncrement() > 0) {
        run(query, answer, unanswered);
      }
    };
    THREADS.execute(() -> {
      // the wait counts from when the query is sent, not from when it was queued behind others
      CompletableFuture.delayedExecutor(askAgainAfter.toMillis(), TimeUnit.MILLISECONDS, THREADS).execute(askAgain);
      run(query, answer, unanswered);
    });
    return answer;
  }

  private static <T> void run(Supplier<T> query, CompletableFuture<T> answer, AtomicInteger unanswered) {
    T value;
    try {
      value = query.get();
    } catch (RuntimeException | Error failure) {
      if (unanswered.decrementAndGet() == 0) {
        answer.completeExceptionally(failure);
      }
      return;
    }
    answer.complete(value);
  }
}
