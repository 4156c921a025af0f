package ai.thinkheads.phoenix.certs.worker.metrics;

import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateStatus;
import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateStatus.Outcome;
import ai.thinkheads.phoenix.certs.workflows.model.CertificateSpec;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * One series per certificate of the inventory, labelled {@code name}, {@code guest}, {@code issuer} (nothing
 * unbounded: no serial), named as cert-manager's so that its dashboards and alerts carry over:
 * {@code phoenix_certificate_expiration_timestamp_seconds} (the live pair's notAfter),
 * {@code phoenix_certificate_renewal_timestamp_seconds} (when the next attempt starts: the renewal point, or the end
 * of a backoff), {@code phoenix_certificate_ready_status{condition}}, {@code phoenix_certificate_renewals_total
 * {outcome}}, {@code phoenix_certificate_last_failure_timestamp_seconds}; and, for the alert rules,
 * {@code phoenix_certificate_consecutive_failures} and {@code phoenix_certificate_lifetime_seconds} (the lifetime
 * the inventory asks for; absent when the CA decides).
 */
final class CertificateMetrics {

  static final List<String> CONDITIONS = List.of("True", "False", "Unknown");

  private final Series expiration;
  private final Series renewal;
  private final Series ready;
  private final Series renewals;
  private final Series lastFailure;
  private final Series consecutiveFailures;
  private final Series lifetime;

  CertificateMetrics(MeterRegistry registry) {
    expiration = new Series(registry, "phoenix_certificate_expiration_timestamp_seconds",
        "The date after which the certificate expires (its notAfter), as a Unix timestamp", Series.Kind.GAUGE);
    renewal = new Series(registry, "phoenix_certificate_renewal_timestamp_seconds",
        "The time of the certificate's next renewal attempt (the renewal point, or the end of a backoff)",
        Series.Kind.GAUGE);
    ready = new Series(registry, "phoenix_certificate_ready_status",
        "The ready condition of the certificate: a valid, unexpired pair is live on its target", Series.Kind.GAUGE);
    renewals = new Series(registry, "phoenix_certificate_renewals",
        "Renewal attempts by outcome, over the certificate's whole life (read from its workflow)",
        Series.Kind.COUNTER);
    lastFailure = new Series(registry, "phoenix_certificate_last_failure_timestamp_seconds",
        "When the last failed or rolled-back renewal attempt ended, as a Unix timestamp (0: none yet)",
        Series.Kind.GAUGE);
    consecutiveFailures = new Series(registry, "phoenix_certificate_consecutive_failures",
        "Renewal attempts that failed in a row since the last success", Series.Kind.GAUGE);
    lifetime = new Series(registry, "phoenix_certificate_lifetime_seconds",
        "The lifetime the inventory asks for the certificate", Series.Kind.GAUGE);
  }

  /** The series for {@code certificates} (the inventory), from their workflows' {@code statuses}, at {@code now}. */
  void update(List<CertificateSpec> certificates, List<CertificateStatus> statuses, Instant now) {
    Map<String, CertificateStatus> byName = statuses.stream()
        .collect(Collectors.toMap(CertificateStatus::name, Function.identity(), (a, b) -> b));
    Map<Tags, Double> expirations = new LinkedHashMap<>();
    Map<Tags, Double> renewalPoints = new LinkedHashMap<>();
    Map<Tags, Double> conditions = new LinkedHashMap<>();
    Map<Tags, Double> outcomes = new LinkedHashMap<>();
    Map<Tags, Double> failures = new LinkedHashMap<>();
    Map<Tags, Double> inARow = new LinkedHashMap<>();
    Map<Tags, Double> lifetimes = new HashMap<>();
    for (CertificateSpec spec : certificates) {
      Tags tags = Tags.of("name", spec.name(), "guest", spec.target().guestId(), "issuer", spec.issuer());
      CertificateStatus status = byName.getOrDefault(spec.name(),
          CertificateStatus.initial(spec.name(), spec.target().guestId()));
      if (status.notAfter() != null) {
        expirations.put(tags, seconds(status.notAfter()));
      }
      if (status.nextRenewal() != null) {
        renewalPoints.put(tags, seconds(status.nextRenewal()));
      }
      String condition = readyCondition(status, now);
      for (String c : CONDITIONS) {
        conditions.put(tags.and("condition", c), c.equals(condition) ? 1.0 : 0.0);
      }
      outcomes.put(tags.and("outcome", "renewed"), (double) status.renewals());
      outcomes.put(tags.and("outcome", "rolled_back"), (double) status.rollbacks());
      outcomes.put(tags.and("outcome", "failed"), (double) status.failures());
      failures.put(tags, status.lastFailure() == null ? 0.0 : seconds(status.lastFailure()));
      inARow.put(tags, (double) status.consecutiveFailures());
      if (spec.lifetime() != null) {
        lifetimes.put(tags, (double) spec.lifetime().toSeconds());
      }
    }
    expiration.set(expirations);
    renewal.set(renewalPoints);
    ready.set(conditions);
    renewals.set(outcomes);
    lastFailure.set(failures);
    consecutiveFailures.set(inARow);
    lifetime.set(lifetimes);
  }

  /**
   * cert-manager's meaning: True while a valid pair is live on the target and has not expired, whether or not a
   * renewal is failing (the expiry and failure series say that); False when there is none or it has expired;
   * Unknown before the certificate's workflow has said anything.
   */
  static String readyCondition(CertificateStatus status, Instant now) {
    if (status.serial() != null && status.notAfter() != null) {
      return status.notAfter().isAfter(now) ? "True" : "False";
    }
    return status.lastOutcome() == Outcome.NONE ? "Unknown" : "False";
  }

  private static double seconds(Instant instant) {
    return instant.toEpochMilli() / 1000.0;
  }
}
