package ai.thinkheads.phoenix.certs.worker.ordering;

import ai.thinkheads.phoenix.certs.activities.estate.Authority;
import ai.thinkheads.phoenix.certs.activities.estate.Estate;
import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateWorkflow;
import ai.thinkheads.phoenix.certs.workflows.certificate.CycleState;
import ai.thinkheads.phoenix.certs.workflows.certificate.OrderingActivities;
import ai.thinkheads.phoenix.certs.workflows.certificate.OrderingResult;
import ai.thinkheads.phoenix.certs.workflows.model.CertificateSpec;
import ai.thinkheads.phoenix.certs.workflows.status.PromptQuery;
import ai.thinkheads.phoenix.certs.workflows.status.StatusTable;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.ActivityCompletionException;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowException;
import io.temporal.client.WorkflowNotFoundException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Waits, polling Temporal once a second, until none of the certificates another one comes after is renewing or
 * about to. It only reads (describe, and the {@code cycle} query), so any number of retries is harmless; a retry
 * keeps the first attempt's deadline, which travels in the heartbeat details.
 */
public final class OrderingActivitiesImpl implements OrderingActivities {

  /** A predecessor whose renewal point is this close counts as renewing: it goes first. */
  static final Duration DUE_SOON = Duration.ofMinutes(1);

  private static final Logger log = LoggerFactory.getLogger(OrderingActivitiesImpl.class);
  private static final Duration HEARTBEAT = Duration.ofSeconds(2);
  private static final ScheduledExecutorService TICKER = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread thread = new Thread(r, "ordering-heartbeats");
    thread.setDaemon(true);
    return thread;
  });

  private final WorkflowClient client;
  private final Authority authority;
  private final Duration maxWait;
  private final Duration poll;

  public OrderingActivitiesImpl(WorkflowClient client, Authority authority) {
    this(client, authority, MAX_WAIT, Duration.ofSeconds(1));
  }

  OrderingActivitiesImpl(WorkflowClient client, Authority authority, Duration maxWait, Duration poll) {
    this.client = client;
    this.authority = authority;
    this.maxWait = maxWait;
    this.poll = poll;
  }

  @Override
  public OrderingResult awaitPredecessors(String name) {
    Estate estate = authority.estate();
    CertificateSpec own = authority.certificate(estate, name);
    List<String> after = own.after();
    ActivityExecutionContext context = Activity.getExecutionContext();
    long started = context.getHeartbeatDetails(Long.class).orElse(System.currentTimeMillis());
    // heartbeats run on their own: a query that hits a predecessor's continue-as-new can take seconds to answer
    AtomicReference<ActivityCompletionException> ended = new AtomicReference<>();
    ScheduledFuture<?> ticking = TICKER.scheduleAtFixedRate(() -> {
      try {
        context.heartbeat(started);
      } catch (ActivityCompletionException e) {
        ended.set(e); // the workflow no longer wants this wait (cancelled, timed out, gone)
      } catch (RuntimeException hiccup) {
        log.debug("heartbeat not sent: {}", hiccup.toString());
      }
    }, 0, HEARTBEAT.toMillis(), TimeUnit.MILLISECONDS);
    try {
      return waitFor(name, estate, own, after, Instant.ofEpochMilli(started).plus(maxWait), ended);
    } finally {
      ticking.cancel(false);
    }
  }

  private OrderingResult waitFor(String name, Estate estate, CertificateSpec own, List<String> after,
      Instant deadline,
      AtomicReference<ActivityCompletionException> ended) {
    String lastBusy = null;
    while (true) {
      List<String> skipped = new ArrayList<>();
      List<String> busy = new ArrayList<>();
      for (String predecessor : after) {
        Look look = look(predecessor, estate, own);
        if (look.skip()) {
          skipped.add(look.reason());
        } else if (look.reason() != null) {
          busy.add(look.reason());
        }
      }
      if (busy.isEmpty()) {
        return new OrderingResult(skipped.isEmpty() ? null
            : "went ahead without waiting: " + String.join("; ", skipped));
      }
      String waitingOn = String.join("; ", busy);
      if (!Instant.now().isBefore(deadline)) {
        skipped.addAll(busy);
        return new OrderingResult("went ahead after waiting " + readable(maxWait) + ": "
            + String.join("; ", skipped));
      }
      if (!waitingOn.equals(lastBusy)) {
        log.info("{} waits: {}", name, waitingOn);
        lastBusy = waitingOn;
      }
      if (ended.get() != null) {
        throw ended.get();
      }
      sleep();
    }
  }

  /** One predecessor as it is now: skipped (with why), busy (with what it does), or settled (no reason). */
  private Look look(String predecessor, Estate estate, CertificateSpec own) {
    String workflowId = CertificateWorkflow.workflowIdFor(predecessor);
    try {
      WorkflowExecutionStatus status = client.newUntypedWorkflowStub(workflowId).describe().getStatus();
      if (status != WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING) {
        return new Look(true, workflowId + " is not running (" + readable(status) + ")");
      }
      CertificateWorkflow workflow = client.newWorkflowStub(CertificateWorkflow.class, workflowId);
      CycleState cycle = PromptQuery.answer(workflow::cycle);
      if (!cycle.idle()) {
        // One reload serves both (the Portainer server's two pairs, one restart): once the predecessor's pair is
        // in, this one goes in too and joins that reload instead of waiting for a second.
        if (cycle.swapped() && estate.certificate(predecessor).map(own::sharesReloadWith).orElse(false)) {
          return new Look(false, null);
        }
        return new Look(false, predecessor + " is " + cycle.phase());
      }
      if (cycle.renewalPending()) {
        return new Look(false, predecessor + " is about to renew (requested)");
      }
      if (cycle.nextRenewal() != null && cycle.nextRenewal().isBefore(Instant.now().plus(DUE_SOON))) {
        return new Look(false, predecessor + " is due to renew at " + StatusTable.time(cycle.nextRenewal()));
      }
      return new Look(false, null);
    } catch (WorkflowNotFoundException absent) {
      return new Look(true, workflowId + " does not exist");
    } catch (WorkflowException | io.grpc.StatusRuntimeException unanswered) {
      // between two runs (continue-as-new), or Temporal busy: ask again at the next poll
      return new Look(false, predecessor + " did not answer (" + unanswered.getClass().getSimpleName() + ")");
    }
  }

  private record Look(boolean skip, String reason) {}

  private static String readable(Duration wait) {
    return wait.toSeconds() < 120 ? wait.toSeconds() + " s" : wait.toMinutes() + " min";
  }

  private static String readable(WorkflowExecutionStatus status) {
    return status.name().replace("WORKFLOW_EXECUTION_STATUS_", "").replace('_', ' ').toLowerCase(Locale.ROOT);
  }

  private void sleep() {
    try {
      Thread.sleep(poll.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the certificates this one comes after", e);
    }
  }
}
