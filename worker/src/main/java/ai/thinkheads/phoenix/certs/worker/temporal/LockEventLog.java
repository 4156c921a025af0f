package ai.thinkheads.phoenix.certs.worker.temporal;

import io.temporal.internal.testservice.TestServicesStarter;
import java.lang.reflect.Field;
import java.util.LinkedList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops the test server's timer from keeping a record of every time-skipping lock it ever took.
 *
 * <p>{@code SelfAdvancingTimerImpl} logs each lock and unlock in a {@code LinkedList} "for debugging purposes
 * only"; lock changes applied in batches are never removed, and each unlock through a handle removes its event by
 * a linear scan. So the list grows with everything the server has ever done, and every timer that fires, every
 * workflow task and every activity completion scans it: measured with 2,000 certificates, after issuance the
 * server's "Timer task" threads spent most of the worker's idle CPU in that scan, and the list is a memory leak
 * that only a restart clears. The list only feeds a diagnostic dump, so this swaps it for one that keeps nothing.
 * It reaches into SDK internals: checked by {@code LockEventLogTest}, and it logs and leaves the server as it is
 * if the field is not there (a different SDK version).
 */
final class LockEventLog {

  private static final Logger log = LoggerFactory.getLogger(LockEventLog.class);

  private LockEventLog() {
  }

  /** Replaces the timer's lock event list of {@code services}; true when it did. */
  static boolean discardEvents(TestServicesStarter services) {
    try {
      Object timer = field(services.getClass(), "selfAdvancingTimer").get(services);
      Field events = field(timer.getClass(), "lockEvents");
      if (!LinkedList.class.equals(events.getType())) {
        throw new NoSuchFieldException("lockEvents is a " + events.getType().getName());
      }
      events.set(timer, new Discarding());
      return true;
    } catch (ReflectiveOperationException | RuntimeException e) {
      log.warn("Temporal: could not stop the embedded server's lock event log ({}); with thousands of "
          + "certificates its timers will cost more CPU the longer it runs", e.toString());
      return false;
    }
  }

  private static Field field(Class<?> type, String name) throws NoSuchFieldException {
    Field field = type.getDeclaredField(name);
    field.setAccessible(true);
    return field;
  }

  /** A list that keeps nothing and finds everything: the timer checks that each unlocked event was there. */
  static final class Discarding extends LinkedList<Object> {
    private static final long serialVersionUID = 1L;

    @Override
    public boolean add(Object event) {
      return true;
    }

    @Override
    public boolean remove(Object event) {
      return true;
    }
  }
}
