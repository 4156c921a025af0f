package ai.thinkheads.phoenix.certs.activities;

import ai.thinkheads.phoenix.certs.activities.issuer.IssuerRejectedException;
import ai.thinkheads.phoenix.certs.activities.issuer.IssuerUnavailableException;
import ai.thinkheads.phoenix.certs.activities.issuer.stepca.StepCaTlsRefusedException;
import ai.thinkheads.phoenix.certs.activities.issuer.stepca.StepCaUnavailableException;
import ai.thinkheads.phoenix.certs.activities.steps.StepFailedException;
import ai.thinkheads.phoenix.certs.activities.transport.TransportException;
import ai.thinkheads.phoenix.certs.workflows.failure.FailureType;
import io.temporal.activity.Activity;
import io.temporal.failure.ApplicationFailure;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How every activity runs its body: heartbeating, and with the step layer's exceptions turned into failures of
 * the one vocabulary ({@link FailureType}), whose type tells Temporal whether a retry can help. Each failure is
 * one debug line; the first of each kind (type and step) is a warning with its stack trace, so a failing
 * certificate does not fill the log. The workflow logs the attempt's outcome, once.
 */
public final class ActivityGuard {

  private static final Logger log = LoggerFactory.getLogger(ActivityGuard.class);
  private static final Set<String> SEEN = ConcurrentHashMap.newKeySet();

  private ActivityGuard() {}

  public static <T> T run(Supplier<T> body) {
    try {
      return Heartbeats.during(body);
    } catch (ApplicationFailure e) {
      throw logged(e, e);
    } catch (StepFailedException e) {
      throw logged(e.type().failure(e.getMessage()), e);
    } catch (IssuerRejectedException e) {
      throw logged(FailureType.ISSUER_REJECTED.failure(e.getMessage()), e);
    } catch (TransportException e) {
      throw logged(e.type().failure(e.getMessage()), e);
    } catch (StepCaUnavailableException | IssuerUnavailableException e) {
      throw logged(FailureType.ISSUER_UNAVAILABLE.failure(e.getMessage()), e);
    } catch (StepCaTlsRefusedException e) {
      throw logged(FailureType.ISSUER_UNTRUSTED.failure(e.getMessage()), e);
    } catch (RuntimeException e) {
      throw logged(FailureType.UNEXPECTED.failure(e.toString()), e);
    }
  }

  private static ApplicationFailure logged(ApplicationFailure failure, Throwable cause) {
    String activity = "step";
    String step = "step";
    try {
      var info = Activity.getExecutionContext().getInfo();
      activity = info.getActivityType();
      step = info.getWorkflowId() + " " + activity + " attempt " + info.getAttempt();
    } catch (RuntimeException notInAnActivity) {
      // called directly (tests, tools)
    }
    String line = step + ": " + failure.getType() + ": " + failure.getOriginalMessage();
    if (SEEN.add(failure.getType() + " " + activity)) {
      log.warn("{} (first of its kind here; later ones at debug)", line, cause);
    } else if (log.isDebugEnabled()) {
      log.debug(line, cause);
    }
    return failure;
  }
}
