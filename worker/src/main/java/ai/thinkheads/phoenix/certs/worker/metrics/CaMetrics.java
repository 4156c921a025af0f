package ai.thinkheads.phoenix.certs.worker.metrics;

import ai.thinkheads.phoenix.certs.activities.issuer.Issuer;
import ai.thinkheads.phoenix.certs.activities.issuer.LimitedIssuer;
import ai.thinkheads.phoenix.certs.activities.issuer.LocalCaIssuer;
import ai.thinkheads.phoenix.certs.activities.issuer.stepca.StepCaIssuer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.net.URI;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CA, asked directly: {@code phoenix_ca_up{issuer}} (1 when its health URL answers 200 over TLS that trusts the
 * pinned root; the embedded local CA is always up), and {@code phoenix_ca_certificate_expiration_timestamp_seconds
 * {issuer,role="root|intermediate"}}: the root's from the issuer (pinned, fetched from the CA), the intermediate's
 * from the chain the CA serves on its own TLS port (step-ca signs its TLS certificate with its intermediate), or
 * from the local CA's files.
 */
final class CaMetrics {

  private static final Logger log = LoggerFactory.getLogger(CaMetrics.class);
  static final Duration TIMEOUT = Duration.ofSeconds(5);

  private final Series up;
  private final Series expiry;
  private volatile String lastProblem;
  /** What the CA's certificates were when it last answered: they do not change because it is down. */
  private Map<Tags, Double> lastExpiries = Map.of();

  CaMetrics(MeterRegistry registry) {
    up = new Series(registry, "phoenix_ca_up", "1 when the CA answers its health check over pinned TLS",
        Series.Kind.GAUGE);
    expiry = new Series(registry, "phoenix_ca_certificate_expiration_timestamp_seconds",
        "When the CA's root or intermediate certificate expires, as a Unix timestamp", Series.Kind.GAUGE);
  }

  synchronized void update(Issuer configured) {
    Issuer issuer = configured instanceof LimitedIssuer limited ? limited.delegate() : configured;
    Tags tags = Tags.of("issuer", issuer.type());
    Map<Tags, Double> expiries = new LinkedHashMap<>();
    boolean reachable;
    try {
      X509Certificate root = issuer.root();
      expiries.put(tags.and("role", "root"), seconds(root));
      X509Certificate intermediate;
      if (issuer instanceof LocalCaIssuer local) {
        intermediate = local.intermediate();
        reachable = true;
      } else {
        Probe probe = probe(issuer);
        intermediate = probe.intermediate();
        reachable = probe.healthy();
      }
      if (intermediate != null) {
        expiries.put(tags.and("role", "intermediate"), seconds(intermediate));
      }
      if (!reachable) {
        problem("the CA's health check at " + issuer.healthUrl() + " did not answer 200");
      } else {
        lastProblem = null;
      }
      lastExpiries = expiries;
    } catch (RuntimeException e) {
      reachable = false;
      problem(e.getMessage());
      expiries = new LinkedHashMap<>(lastExpiries);
    }
    up.set(Map.of(tags, reachable ? 1.0 : 0.0));
    expiry.set(expiries);
  }

  /** One log line when the CA becomes unreachable (and again if the reason changes), not one per refresh. */
  private void problem(String problem) {
    if (!java.util.Objects.equals(problem, lastProblem)) {
      log.warn("metrics: the CA does not answer: {}", problem);
      lastProblem = problem;
    }
  }

  private record Probe(boolean healthy, X509Certificate intermediate) {}

  private static Probe probe(Issuer issuer) {
    String url = issuer.healthUrl();
    if (url == null) {
      return new Probe(true, null);
    }
    HttpsURLConnection connection = null;
    try {
      connection = (HttpsURLConnection) URI.create(url).toURL().openConnection();
      SSLContext tls = issuer instanceof StepCaIssuer stepCa ? stepCa.pinnedTls() : SSLContext.getDefault();
      connection.setSSLSocketFactory(tls.getSocketFactory());
      connection.setConnectTimeout((int) TIMEOUT.toMillis());
      connection.setReadTimeout((int) TIMEOUT.toMillis());
      int code = connection.getResponseCode();
      X509Certificate intermediate = null;
      for (Certificate served : connection.getServerCertificates()) {
        if (served instanceof X509Certificate x && x.getBasicConstraints() >= 0
            && !x.getSubjectX500Principal().equals(x.getIssuerX500Principal())) {
          intermediate = x;
        }
      }
      return new Probe(code == 200, intermediate);
    } catch (java.io.IOException | java.security.GeneralSecurityException | ClassCastException e) {
      throw new IllegalStateException(url + ": " + e.getMessage(), e);
    } finally {
      if (connection != null) {
        connection.disconnect();
      }
    }
  }

  private static double seconds(X509Certificate certificate) {
    return certificate.getNotAfter().toInstant().toEpochMilli() / 1000.0;
  }
}
