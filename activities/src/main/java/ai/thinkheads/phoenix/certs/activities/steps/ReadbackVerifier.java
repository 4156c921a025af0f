package ai.thinkheads.phoenix.certs.activities.steps;

import ai.thinkheads.phoenix.certs.workflows.failure.FailureType;
import ai.thinkheads.phoenix.certs.activities.certificate.LivePair;
import ai.thinkheads.phoenix.certs.workflows.model.StepSpec;
import java.util.List;
import java.util.Set;

/**
 * Reads the live pair back from the target: the certificate's serial must be the expected one and the key must
 * match it. Type {@code readback}; the default when the inventory names no verify step.
 */
public final class ReadbackVerifier implements Verifier {

  public static final String TYPE = "readback";

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public List<SpecProblem> check(StepSpec step) {
    return StepOptions.of(step, "a readback verify step").only(Set.of()).noArgv("it reads the certificate's files")
        .problems();
  }

  @Override
  public String verify(StepContext context, String expectedSerial) {
    StepOptions.require(this, context);
    LivePair pair = LivePair.read(context.transport(), context.certificate().files());
    if (pair.problem() != null) {
      throw new StepFailedException(FailureType.VERIFICATION_FAILED, context.where() + ": " + pair.problem());
    }
    String serial = pair.facts().serial();
    if (!serial.equals(expectedSerial)) {
      throw new StepFailedException(FailureType.VERIFICATION_FAILED, context.where() + ": expected serial " + expectedSerial
          + " at " + context.certificate().files().cert() + ", found " + serial);
    }
    return "serial " + serial + " in place, key matches";
  }
}
