package ai.thinkheads.phoenix.certs.workflows.coordination;

import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateActivities;
import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateWorkflow;
import ai.thinkheads.phoenix.certs.workflows.certificate.StepResult;
import ai.thinkheads.phoenix.certs.workflows.failure.FailureType;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;

/**
 * A readers-writer lock over the guest's pairs, granted in the order asked (a swap waits for the reads before it,
 * reads wait for a swap before them), and reload batches: requests for one reload that arrive within
 * {@link #WINDOW} share one run, which also waits (at most {@link #MAX_WAIT} more) for certificates that said they
 * would ask. A batch reloads under a shared lease, so no pair is swapped while the service reads its files.
 * Everything is workflow state, so it survives any worker; grants and outcomes go back as signals.
 */
public class GuestPairsWorkflowImpl implements GuestPairsWorkflow {

  static final Duration WINDOW = Duration.ofMillis(1500);
  static final Duration MAX_WAIT = Duration.ofSeconds(10);
  /** An expectation this old belongs to a renewal that went elsewhere (it failed, or was stopped). */
  static final Duration STALE = Duration.ofMinutes(2);
  /** A lease held this long is dropped: its holder was stopped in the middle (terminated, reset). */
  static final Duration LEASE_MAX = Duration.ofMinutes(15);
  /** History length at which an idle coordinator continues as new. */
  static final int HISTORY_LIMIT = 2000;

  private static final Logger log = Workflow.getLogger(GuestPairsWorkflowImpl.class);

  private final List<LeaseRequest> queue = new ArrayList<>();
  private final Map<String, Lease> holders = new LinkedHashMap<>();
  private final Map<String, Batch> open = new LinkedHashMap<>();
  private final Map<String, Batch> running = new LinkedHashMap<>();
  private final Map<String, Map<String, Long>> expected = new LinkedHashMap<>();
  private final List<Runnable> outbox = new ArrayList<>();
  private String guestId;
  private int reloadsRun;
  private int batchCounter;
  private boolean dirty;

  private record Lease(LeaseRequest request, long grantedAt) {}

  /** Requests for one reload; once it runs, {@code result} completes with the outcome. */
  private static final class Batch {
    final String key;
    final long startedAt;
    final List<ReloadRequest> requests = new ArrayList<>();
    String leaseId;
    Promise<StepResult> result;

    Batch(String key, long startedAt) {
      this.key = key;
      this.startedAt = startedAt;
    }
  }

  @Override
  public void run(GuestPairsRun input) {
    guestId = input.guestId();
    reloadsRun = input.reloadsRun();
    Workflow.setCurrentDetails("coordinating the pairs and reloads of " + guestId);
    while (true) {
      dirty = false;
      long now = Workflow.currentTimeMillis();
      dropExpired(now);
      grant();
      startReady(now);
      finishDone();
      grant(); // a finished batch may free the pairs for a swap
      send();
      if (idle() && Workflow.getInfo().getHistoryLength() > HISTORY_LIMIT) {
        Workflow.continueAsNew(new GuestPairsRun(guestId, reloadsRun));
      }
      if (dirty) {
        continue; // something this pass did (a grant of our own) needs another pass
      }
      Duration wait = nextDeadline(Workflow.currentTimeMillis());
      if (wait == null) {
        Workflow.await(() -> dirty);
      } else {
        Workflow.await(wait, () -> dirty);
      }
    }
  }

  /** Grants queued requests in order, as long as each fits beside the leases held. */
  private void grant() {
    Iterator<LeaseRequest> waiting = queue.iterator();
    while (waiting.hasNext()) {
      LeaseRequest head = waiting.next();
      boolean exclusiveHeld = holders.values().stream().anyMatch(l -> l.request().exclusive());
      if (head.exclusive() ? !holders.isEmpty() : exclusiveHeld) {
        return;
      }
      waiting.remove();
      holders.put(head.id(), new Lease(head, Workflow.currentTimeMillis()));
      if (head.requester() != null) {
        outbox.add(() -> certificate(head.requester()).leaseGranted(head.id()));
      } else {
        dirty = true; // one of our own batches may start now
      }
    }
  }

  /** A batch past its window, whose expected certificates have asked (or waited long enough), asks for a lease. */
  private void startReady(long now) {
    for (Batch batch : List.copyOf(open.values())) {
      if (batch.leaseId == null && now >= batch.startedAt + WINDOW.toMillis()
          && (awaited(batch, now).isEmpty() || now >= batch.startedAt + WINDOW.plus(MAX_WAIT).toMillis())) {
        batch.leaseId = "reload/" + batch.key + "/" + (++batchCounter);
        queue.add(new LeaseRequest(batch.leaseId, null, false));
      }
      if (batch.leaseId != null && holders.containsKey(batch.leaseId) && batch.result == null) {
        open.remove(batch.key);
        running.put(batch.key, batch);
        ReloadRequest first = batch.requests.get(0);
        batch.result = Async.function(steps(batch.requests.size())::reload, first.certificate());
        batch.result.handle((ok, failure) -> {
          dirty = true;
          return null;
        });
      }
    }
  }

  /** A batch whose reload ended: its lease goes, and every request it served gets the outcome. */
  private void finishDone() {
    for (Batch batch : List.copyOf(running.values())) {
      if (!batch.result.isCompleted()) {
        continue;
      }
      running.remove(batch.key);
      holders.remove(batch.leaseId);
      reloadsRun++;
      RuntimeException failure = batch.result.getFailure();
      ReloadOutcome template = failure == null ? new ReloadOutcome(null, null, null) : outcomeOf(failure);
      if (failure != null) {
        log.warn("{}: reload for {} certificates failed: {}", guestId, batch.requests.size(), template.error());
      }
      for (ReloadRequest request : batch.requests) {
        ReloadOutcome outcome = new ReloadOutcome(request.id(), template.failureType(), template.error());
        outbox.add(() -> certificate(request.requester()).reloaded(outcome));
      }
    }
  }

  private static ReloadOutcome outcomeOf(RuntimeException failure) {
    if (failure instanceof ActivityFailure activity && activity.getCause() instanceof ApplicationFailure app) {
      return new ReloadOutcome(null, app.getType(), activity.getActivityType() + ": " + app.getOriginalMessage());
    }
    return new ReloadOutcome(null, FailureType.of(failure.getCause()).type(), "Reload: " + failure.getMessage());
  }

  /** Signals go out from the loop, never from a handler; a requester that is gone is skipped. */
  private void send() {
    List<Runnable> sending = List.copyOf(outbox);
    outbox.clear();
    for (Runnable signal : sending) {
      try {
        signal.run();
      } catch (RuntimeException requesterGone) {
        log.info("{}: a requester is gone: {}", guestId, requesterGone.getMessage());
      }
    }
  }

  private void dropExpired(long now) {
    holders.values().removeIf(lease -> {
      boolean expired = lease.request().requester() != null && now - lease.grantedAt() > LEASE_MAX.toMillis();
      if (expired) {
        log.warn("{}: dropped lease {} of {}, held for over {}", guestId, lease.request().id(),
            lease.request().requester(), LEASE_MAX);
      }
      return expired;
    });
    expected.values().forEach(byName -> byName.values().removeIf(since -> now - since > STALE.toMillis()));
    expected.values().removeIf(Map::isEmpty);
  }

  /** Certificates expected to ask for this batch's reload that have not yet. */
  private List<String> awaited(Batch batch, long now) {
    List<String> names = new ArrayList<>(expected.getOrDefault(batch.key, Map.of()).keySet());
    batch.requests.forEach(r -> names.remove(r.certificate().name()));
    return names;
  }

  /** When the loop must look again without a signal: a window or a wait ending, a lease to expire. */
  private Duration nextDeadline(long now) {
    long next = Long.MAX_VALUE;
    for (Batch batch : open.values()) {
      if (batch.leaseId == null) {
        long windowEnd = batch.startedAt + WINDOW.toMillis();
        next = Math.min(next, now < windowEnd ? windowEnd : batch.startedAt + WINDOW.plus(MAX_WAIT).toMillis());
      }
    }
    for (Lease lease : holders.values()) {
      next = Math.min(next, lease.grantedAt() + LEASE_MAX.toMillis() + 1);
    }
    for (Map<String, Long> byName : expected.values()) {
      for (long since : byName.values()) {
        next = Math.min(next, since + STALE.toMillis() + 1);
      }
    }
    return next == Long.MAX_VALUE ? null : Duration.ofMillis(Math.max(1, next - now));
  }

  private boolean idle() {
    return queue.isEmpty() && holders.isEmpty() && open.isEmpty() && running.isEmpty() && outbox.isEmpty();
  }

  private static CertificateWorkflow certificate(String workflowId) {
    return Workflow.newExternalWorkflowStub(CertificateWorkflow.class, workflowId);
  }

  /** The reload, run by this coordinator for a batch; retried where its failure's type says a retry can help. */
  private CertificateActivities steps(int certificates) {
    return Workflow.newActivityStub(CertificateActivities.class, ActivityOptions.newBuilder()
        .setStartToCloseTimeout(Duration.ofMinutes(2))
        .setHeartbeatTimeout(Duration.ofSeconds(10))
        .setRetryOptions(RetryOptions.newBuilder()
            .setInitialInterval(Duration.ofSeconds(1))
            .setMaximumInterval(Duration.ofSeconds(30))
            .setMaximumAttempts(5)
            .setDoNotRetry(FailureType.nonRetryable())
            .build())
        .setSummary("reload on " + guestId + " for " + certificates + " certificate" + (certificates == 1 ? "" : "s"))
        .build());
  }

  @Override
  public void acquire(LeaseRequest request) {
    boolean known = holders.containsKey(request.id()) || queue.stream().anyMatch(r -> r.id().equals(request.id()));
    if (!known) {
      queue.add(request);
    }
    dirty = true;
  }

  @Override
  public void release(String leaseId) {
    holders.remove(leaseId);
    queue.removeIf(r -> r.id().equals(leaseId)); // asked, then gave up before it was granted
    dirty = true;
  }

  @Override
  public void expectReload(ReloadExpectation expectation) {
    Map<String, Long> byName = expected.computeIfAbsent(expectation.key(), k -> new LinkedHashMap<>());
    if (expectation.expected()) {
      byName.put(expectation.certificate(), Workflow.currentTimeMillis());
    } else {
      byName.remove(expectation.certificate());
    }
    dirty = true;
  }

  @Override
  public void requestReload(ReloadRequest request) {
    if (request.releases() != null) {
      release(request.releases());
    }
    // a request that comes once a batch runs waits for the next: its files may have changed after that began
    Batch batch = open.computeIfAbsent(request.key(), key -> new Batch(key, Workflow.currentTimeMillis()));
    if (batch.requests.stream().noneMatch(r -> r.id().equals(request.id()))) {
      batch.requests.add(request);
    }
    Map<String, Long> byName = expected.get(request.key());
    if (byName != null) {
      byName.remove(request.certificate().name());
    }
    dirty = true;
  }

  @Override
  public GuestPairsState state() {
    List<String> reloads = new ArrayList<>();
    open.values().forEach(b -> reloads.add(b.key + ": gathering " + b.requests.size()));
    running.values().forEach(b -> reloads.add(b.key + ": reloading for " + b.requests.size()));
    return new GuestPairsState(guestId, holders.values().stream().map(l -> l.request().requester() == null
        ? l.request().id() : l.request().requester() + (l.request().exclusive() ? " (swap)" : " (read)")).toList(),
        queue.stream().map(r -> r.requester() == null ? r.id() : r.requester()).toList(), reloads, reloadsRun);
  }
}
