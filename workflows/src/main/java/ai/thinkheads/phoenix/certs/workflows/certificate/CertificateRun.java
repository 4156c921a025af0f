package ai.thinkheads.phoenix.certs.workflows.certificate;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * A run's input: the certificate's name (the inventory entry; the workflow ID is {@code cert/<name>}), the status
 * carried over from the previous run (null on the first), a pending renewal request, and the certificates that
 * come after this one and wait to be told it is between cycles. Names and intents only:
 * what to do comes from the worker's own inventory, never from here.
 * Anything else a start carries (an old-style or forged input) is dropped.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record CertificateRun(String name, CertificateStatus status, boolean renewRequested,
    List<SettledWaiter> waiters) {

  public CertificateRun {
    waiters = waiters == null ? List.of() : List.copyOf(waiters);
  }

  public CertificateRun(String name, CertificateStatus status, boolean renewRequested) {
    this(name, status, renewRequested, List.of());
  }

  public static CertificateRun first(String name) {
    return new CertificateRun(name, null, false);
  }
}
