package ai.thinkheads.phoenix.certs.activities.steps;

import ai.thinkheads.phoenix.certs.workflows.failure.FailureType;
import ai.thinkheads.phoenix.certs.activities.certificate.LivePair;
import ai.thinkheads.phoenix.certs.activities.plugin.Settings;
import ai.thinkheads.phoenix.certs.activities.plugin.SpecProblem;
import java.util.List;

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
  public String label() {
    return "a readback verify step";
  }

  @Override
  public List<SpecProblem> check(Settings settings) {
    return Step.noArgv(this, settings, "it reads the certificate's files");
  }

  @Override
  public String verify(StepContext context, String expectedSerial) {
    context.settings(this);
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
