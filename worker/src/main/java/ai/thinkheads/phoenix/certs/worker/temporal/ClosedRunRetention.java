package ai.thinkheads.phoenix.certs.worker.temporal;

import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.internal.testservice.ExecutionId;
import io.temporal.internal.testservice.TestServicesStarter;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.Lock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retention for the embedded server: drops closed runs beyond the latest {@code keep} of each workflow.
 *
 * <p>A real Temporal server deletes closed runs after the namespace's retention period. The Java test server keeps
 * every run's history and state in memory for ever, and every renewal of a certificate closes a run (continue-as-
 * new): measured with 1,000 and 10,000 certificates, tens of KiB of heap per closed run, so a long-running {@code dev}
 * worker grew with each renewal cycle of its estate without bound. Runs still referenced as a workflow's current
 * run are never dropped; {@code describe} shows the runs that are left (as after retention on a real server).
 *
 * <p>It reaches into SDK internals ({@code TestWorkflowService.executions}, {@code TestWorkflowStoreImpl.histories},
 * each under the lock that guards it): {@code ClosedRunRetentionTest} checks it; if the fields are not there (a
 * different SDK version) it logs once and does nothing.
 */
final class ClosedRunRetention {

  private static final Logger log = LoggerFactory.getLogger(ClosedRunRetention.class);

  private final int keep;
  private final Lock serviceLock;
  private final Map<ExecutionId, ?> executions;
  private final Map<?, ?> currentRuns;
  private final Lock storeLock;
  private final Map<ExecutionId, ?> histories;
  private final Field events;
  private final Method terminal;

  @SuppressWarnings("unchecked")
  private ClosedRunRetention(TestServicesStarter services, int keep) throws ReflectiveOperationException {
    this.keep = keep;
    Object service = services.getWorkflowService();
    this.serviceLock = (Lock) read(service, "lock");
    this.executions = (Map<ExecutionId, ?>) read(service, "executions");
    // each workflow id's latest run (the server's other map, by first run id, may still name a chain's first run:
    // that run's history goes, its small state stays referenced there)
    this.currentRuns = (Map<?, ?>) read(service, "executionsByWorkflowId");
    Object store = read(service, "store");
    this.storeLock = (Lock) read(store, "lock");
    this.histories = (Map<ExecutionId, ?>) read(store, "histories");
    Class<?> historyStore = Class.forName(store.getClass().getName() + "$HistoryStore");
    this.events = historyStore.getDeclaredField("history");
    this.events.setAccessible(true);
    this.terminal = Class.forName("io.temporal.internal.testservice.TestWorkflowMutableState")
        .getDeclaredMethod("isTerminalState");
    this.terminal.setAccessible(true);
  }

  /** Retention for {@code services}, keeping {@code keep} closed runs per workflow; null if the SDK differs. */
  static ClosedRunRetention of(TestServicesStarter services, int keep) {
    try {
      return new ClosedRunRetention(services, keep);
    } catch (ReflectiveOperationException | RuntimeException e) {
      log.warn("Temporal: the embedded server's closed runs will be kept in memory for ever (cannot reach them: "
          + "{}); restart a long-running dev worker now and then", e.toString());
      return null;
    }
  }

  /** Drops the closed runs beyond the latest {@code keep} of each workflow; how many it dropped. */
  int sweep() {
    Set<Object> current = Collections.newSetFromMap(new IdentityHashMap<>());
    Map<ExecutionId, Object> states;
    serviceLock.lock();
    try {
      current.addAll(currentRuns.values());
      states = new HashMap<>(executions);
    } finally {
      serviceLock.unlock();
    }
    // closed is the run's own state (its history's last event is not always the closing one when read here)
    Set<ExecutionId> closedRuns = new HashSet<>();
    states.forEach((id, state) -> {
      if (!current.contains(state) && isTerminal(state)) {
        closedRuns.add(id);
      }
    });
    List<ExecutionId> drop = new ArrayList<>();
    storeLock.lock();
    try {
      Map<String, List<Closed>> byWorkflow = new HashMap<>();
      for (Map.Entry<ExecutionId, ?> entry : histories.entrySet()) {
        Closed closed = closedRuns.contains(entry.getKey()) ? closed(entry.getKey(), entry.getValue()) : null;
        if (closed != null) {
          byWorkflow.computeIfAbsent(entry.getKey().getExecution().getWorkflowId(), id -> new ArrayList<>())
              .add(closed);
        }
      }
      for (List<Closed> runs : byWorkflow.values()) {
        runs.sort(Comparator.comparingLong(Closed::started).reversed());
        runs.stream().skip(keep).forEach(run -> drop.add(run.id()));
      }
      drop.forEach(histories::remove);
    } finally {
      storeLock.unlock();
    }
    serviceLock.lock();
    try {
      drop.forEach(executions::remove);
    } finally {
      serviceLock.unlock();
    }
    return drop.size();
  }

  private record Closed(ExecutionId id, long started) {}

  private boolean isTerminal(Object state) {
    try {
      return (Boolean) terminal.invoke(state);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot read a run of the embedded server: " + e, e);
    }
  }

  /** A closed run with its start time (its first event's). */
  private Closed closed(ExecutionId id, Object historyStore) {
    try {
      List<?> history = (List<?>) events.get(historyStore);
      if (history.isEmpty()) {
        return null;
      }
      com.google.protobuf.Timestamp time = ((HistoryEvent) history.get(0)).getEventTime();
      return new Closed(id, time.getSeconds() * 1_000_000_000L + time.getNanos());
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot read a run of the embedded server: " + e, e);
    }
  }

  private static Object read(Object owner, String name) throws ReflectiveOperationException {
    Field field = owner.getClass().getDeclaredField(name);
    field.setAccessible(true);
    return field.get(owner);
  }
}
