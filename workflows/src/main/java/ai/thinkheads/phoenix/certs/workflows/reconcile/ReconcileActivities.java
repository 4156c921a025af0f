package ai.thinkheads.phoenix.certs.workflows.reconcile;

import ai.thinkheads.phoenix.certs.workflows.model.CertificateSpec;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;
import java.util.List;

/** Compares the inventory with what runs, and acts on the difference; each call is idempotent. */
@ActivityInterface
public interface ReconcileActivities {

  /** The certificates the inventory file names now (re-read on every pass); fails on an invalid file. */
  @ActivityMethod
  List<CertificateSpec> desired();

  /** Names of the running certificate workflows, or null when the server cannot list them (no visibility). */
  @ActivityMethod
  List<String> running();

  /** Starts {@code cert/<name>} unless it runs; true when it was started. */
  @ActivityMethod
  boolean ensureStarted(CertificateSpec spec);

  /** Sends the spec to a running workflow whose spec differs; true when it did. */
  @ActivityMethod
  boolean updateIfChanged(CertificateSpec spec);

  /** Stops the workflow of a certificate the inventory no longer names; its files stay on the target. */
  @ActivityMethod
  void retire(String name);
}
