package ai.thinkheads.phoenix.certs.workflows.certificate;

import ai.thinkheads.phoenix.certs.workflows.coordination.CoordinatorActivities;
import ai.thinkheads.phoenix.certs.workflows.failure.FailureType;
import ai.thinkheads.phoenix.certs.workflows.model.CertificateSpec;
import ai.thinkheads.phoenix.certs.workflows.model.KeyAlgorithm;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The steps of one certificate's life, faked for the workflow's own tests: a target that holds a live pair, the
 * rollback point {@code activate} keeps, a backup and a staged pair, and changes them as the real steps do, so
 * that what the workflow does after an attempt (find the pair fine, renew again) follows from what it did. Each
 * step can be scripted to fail ({@link #fail}), and every call is logged in order with the serial it names
 * ({@link #calls()}), so a test asserts the whole sequence and that nothing else ran.
 *
 * <p>Serials are "01", "02", ... in the order the fake issues them; a pair put on the target by a test is "00".
 */
final class ScriptedTarget implements CertificateActivities, CoordinatorActivities {

  record Pair(String serial, Instant notBefore, Instant notAfter) {}

  private final LongSupplier clock;
  private final List<String> calls = new ArrayList<>();
  private final Map<String, Deque<ApplicationFailure>> failures = new HashMap<>();
  private final List<StagedCertificate> issued = new ArrayList<>();
  private CertificatePolicy policy;
  private Pair live;
  private Pair rollbackPoint;
  private Pair backup;
  private Pair staged;

  /** @param clock the test environment's clock: issued pairs start when the workflow's time says */
  ScriptedTarget(LongSupplier clock, CertificatePolicy policy) {
    this.clock = clock;
    this.policy = policy;
  }

  /** Puts a pair on the target, as if deployed before the workflow started; serial "00". */
  synchronized ScriptedTarget holding(Instant notBefore, Instant notAfter) {
    live = new Pair("00", notBefore, notAfter);
    return this;
  }

  /** The next {@code times} calls of {@code step} fail with {@code type} and {@code message}. */
  synchronized ScriptedTarget fail(String step, int times, FailureType type, String message) {
    Deque<ApplicationFailure> queue = failures.computeIfAbsent(step, s -> new ArrayDeque<>());
    for (int i = 0; i < times; i++) {
      queue.add(type.failure(message));
    }
    return this;
  }

  /** The next call of {@code step} fails. */
  ScriptedTarget failOnce(String step, FailureType type, String message) {
    return fail(step, 1, type, message);
  }

  synchronized void policy(CertificatePolicy newPolicy) {
    policy = newPolicy;
  }

  /** Every call so far, in order: "inspect", "issueAndStage", "activate 01", "verify 01", ... */
  synchronized List<String> calls() {
    return List.copyOf(calls);
  }

  synchronized long count(String call) {
    return calls.stream().filter(c -> c.equals(call) || c.startsWith(call + " ")).count();
  }

  /** The calls since the first {@code from}: the log of the last attempts. */
  synchronized List<String> callsFrom(int from) {
    return List.copyOf(calls.subList(from, calls.size()));
  }

  synchronized List<StagedCertificate> issued() {
    return List.copyOf(issued);
  }

  synchronized Pair live() {
    return live;
  }

  synchronized Pair backup() {
    return backup;
  }

  synchronized Pair staged() {
    return staged;
  }

  private void called(String call, String step) {
    calls.add(call);
    ApplicationFailure failure = failures.getOrDefault(step, new ArrayDeque<>()).poll();
    if (failure != null) {
      throw failure;
    }
  }

  private void checkRef(CertificateRef ref) {
    if (!ref.name().equals(policy.name()) || !ref.digest().equals(policy.digest())) {
      throw new IllegalStateException("step called for " + ref + ", the inventory holds " + policy.name() + "@"
          + policy.digest());
    }
  }

  private Instant now() {
    return Instant.ofEpochMilli(clock.getAsLong());
  }

  @Override
  public synchronized Inspection inspect(String name) {
    called("inspect", "inspect");
    if (!name.equals(policy.name())) {
      throw FailureType.NOT_IN_INVENTORY.failure(name + " is not in this worker's inventory");
    }
    TargetState state = live == null ? TargetState.unusable("no certificate at /etc/ssl/web.crt")
        : new TargetState(true, null, live.serial(), live.notBefore(), live.notAfter(), policy.sans(), policy.key(),
            "fp-" + live.serial());
    return new Inspection(state, policy);
  }

  @Override
  public synchronized StagedCertificate issueAndStage(CertificateRef certificate) {
    called("issueAndStage", "issueAndStage");
    checkRef(certificate);
    Instant notBefore = now();
    staged = new Pair(String.format("%02d", issued.size() + 1), notBefore, notBefore.plus(policy.lifetime()));
    StagedCertificate certificateIssued = new StagedCertificate(staged.serial(), staged.notBefore(),
        staged.notAfter(), "fp-" + staged.serial(), "-----BEGIN CERTIFICATE-----\n...", "/etc/ssl/web.crt.staged",
        "/etc/ssl/web.key.staged");
    issued.add(certificateIssued);
    return certificateIssued;
  }

  @Override
  public synchronized ActivationResult activate(CertificateRef certificate, String serial) {
    called("activate " + serial, "activate");
    checkRef(certificate);
    if (staged == null || !staged.serial().equals(serial)) {
      throw FailureType.UNEXPECTED.failure("no staged pair " + serial);
    }
    rollbackPoint = live;
    live = staged;
    staged = null;
    return new ActivationResult(serial, rollbackPoint == null ? null : rollbackPoint.serial());
  }

  @Override
  public synchronized StepResult validate(CertificateRef certificate) {
    called("validate", "validate");
    checkRef(certificate);
    return new StepResult("validate", false, "configuration ok");
  }

  @Override
  public synchronized StepResult reload(CertificateRef certificate) {
    called("reload", "reload");
    checkRef(certificate);
    return new StepResult("reload", false, "");
  }

  @Override
  public synchronized StepResult verify(CertificateRef certificate, String expectedSerial) {
    called("verify " + expectedSerial, "verify");
    checkRef(certificate);
    if (live == null || !live.serial().equals(expectedSerial)) {
      throw FailureType.VERIFICATION_FAILED.failure("serves " + (live == null ? "nothing" : live.serial())
          + ", expected " + expectedSerial);
    }
    return new StepResult("verify", false, "serves " + expectedSerial);
  }

  @Override
  public synchronized void settle(CertificateRef certificate) {
    called("settle", "settle");
    checkRef(certificate);
    if (rollbackPoint != null) {
      backup = rollbackPoint;
      rollbackPoint = null;
    }
  }

  @Override
  public synchronized void discardStaged(CertificateRef certificate) {
    called("discardStaged", "discardStaged");
    checkRef(certificate);
    staged = null;
  }

  @Override
  public synchronized String revoke(CertificateRef certificate, String serial) {
    called("revoke " + serial, "revoke");
    return serial;
  }

  @Override
  public synchronized String rollback(CertificateRef certificate) {
    called("rollback", "rollback");
    checkRef(certificate);
    if (rollbackPoint == null) {
      return null;
    }
    live = rollbackPoint;
    rollbackPoint = null;
    return live.serial();
  }

  /** The cycle starts the guest's coordinator before the certificate; the certificate never needs to. */
  @Override
  public synchronized void ensureCoordinator(String name) {
    called("ensureCoordinator", "ensureCoordinator");
  }

  /** A policy like the inventory's defaults: 24 h certificates renewed at 2/3, every step present. */
  static CertificatePolicy policy(boolean validates, boolean reloads, boolean verifies, List<String> after) {
    return new CertificatePolicy("web", "digest-1", "lxc/101", "local", List.of("web.internal.test"),
        KeyAlgorithm.ECDSA_P256, List.of(), Duration.ofHours(24),
        CertificateSpec.DEFAULT_RENEW_AT, null, after, validates,
        reloads, verifies, "lxc/101:/etc/ssl/web.crt", List.of(), "Renew web (web.internal.test) on lxc/101",
        reloads ? "lxc/101 systemd [] {unit=nginx}" : null);
  }

  static CertificatePolicy policy() {
    return policy(true, true, true, List.of());
  }
}
