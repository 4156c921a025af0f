package ai.thinkheads.phoenix.certs.activities;

import ai.thinkheads.phoenix.certs.activities.issuer.IssuerRejectedException;
import ai.thinkheads.phoenix.certs.activities.steps.StepFailedException;
import ai.thinkheads.phoenix.certs.activities.transport.TransportException;
import io.temporal.failure.ApplicationFailure;
import java.util.function.Supplier;

/**
 * How every activity runs its body: heartbeating, and with the step layer's exceptions turned into failures
 * whose type tells Temporal whether a retry can help. One place, so certificate and trust steps agree.
 */
public final class ActivityGuard {

  private ActivityGuard() {}

  public static <T> T run(Supplier<T> body) {
    try {
      return Heartbeats.during(body);
    } catch (StepFailedException e) {
      throw ApplicationFailure.newNonRetryableFailure(e.getMessage(), e.kind());
    } catch (IssuerRejectedException e) {
      throw ApplicationFailure.newNonRetryableFailure(e.getMessage(), "IssuerRejected");
    } catch (TransportException e) {
      if (e.retryable()) {
        throw ApplicationFailure.newFailure(e.getMessage(), "TransportFailed");
      }
      throw ApplicationFailure.newNonRetryableFailure(e.getMessage(), "TransportRefused");
    }
  }
}
