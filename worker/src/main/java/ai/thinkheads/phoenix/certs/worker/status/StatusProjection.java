package ai.thinkheads.phoenix.certs.worker.status;

import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateStatus;
import ai.thinkheads.phoenix.certs.workflows.model.CertificateSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What {@code status}, the dev table and the metrics show, kept by the worker so that reading it costs no call
 * to Temporal: a query on a certificate workflow that is not in the worker's cache replays its whole history, and
 * asking ten thousand of them kept a core busy.
 *
 * <p>Fed by the certificate workflows themselves: each publishes its {@link CertificateStatus} in its memo
 * whenever it changes, and {@link StatusInterceptor} hands every such publication this worker makes (not the
 * replayed ones) to {@link #publish}. At start it is filled once from the workflows' memos ({@link MemoStatuses}:
 * one visibility list, or one describe each, which reads no history), so its values are right after a restart.
 * Several workers on a server without visibility each see the publications they make themselves; on a server with
 * visibility {@code status} lists the memos directly.
 */
public final class StatusProjection {

  private static final Logger log = LoggerFactory.getLogger(StatusProjection.class);

  private final Supplier<List<CertificateSpec>> inventory;
  private final Map<String, CertificateStatus> byName = new ConcurrentHashMap<>();
  private final List<Consumer<CertificateStatus>> listeners = new CopyOnWriteArrayList<>();
  private final AtomicLong version = new AtomicLong();

  /** @param inventory the worker's certificates as they are now: {@link #all()} follows its edits */
  public StatusProjection(Supplier<List<CertificateSpec>> inventory) {
    this.inventory = inventory;
  }

  /**
   * One status per certificate of the worker's current inventory, in its order: what its workflow published last,
   * or "starting" for one that has published nothing yet. Reads memory only.
   */
  public List<CertificateStatus> all() {
    List<CertificateSpec> certificates = inventory.get();
    List<CertificateStatus> out = new ArrayList<>(certificates.size());
    for (CertificateSpec spec : certificates) {
      CertificateStatus status = byName.get(spec.name());
      out.add(status != null ? status
          : CertificateStatus.initial(spec.name(), spec.target().guestId()).withPhase("starting"));
    }
    return out;
  }

  /** What {@code name}'s workflow published last; empty before it has published anything. */
  public Optional<CertificateStatus> get(String name) {
    return Optional.ofNullable(byName.get(name));
  }

  /** Counts changes: equal versions, equal {@link #all()} (for the same inventory). */
  public long version() {
    return version.get();
  }

  /**
   * Calls {@code listener} with every status that changes, on the thread that published it (a workflow thread):
   * it must return at once (note the change, redraw elsewhere). The returned handle removes it.
   */
  public Runnable onChange(Consumer<CertificateStatus> listener) {
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }

  /** A certificate's new status; the same status again changes nothing. */
  public void publish(CertificateStatus status) {
    if (status == null || status.name() == null) {
      return;
    }
    CertificateStatus before = byName.put(status.name(), status);
    if (status.equals(before)) {
      return;
    }
    changed(status);
  }

  /**
   * A status read at start (from a memo, a describe): kept only where nothing newer was published meanwhile.
   * Returns whether it was kept.
   */
  boolean seed(CertificateStatus status) {
    if (status == null || status.name() == null || byName.putIfAbsent(status.name(), status) != null) {
      return false;
    }
    changed(status);
    return true;
  }

  private void changed(CertificateStatus status) {
    version.incrementAndGet();
    for (Consumer<CertificateStatus> listener : listeners) {
      try {
        listener.accept(status);
      } catch (RuntimeException e) {
        log.warn("status listener failed on {}: {}", status.name(), e.toString());
      }
    }
  }
}
