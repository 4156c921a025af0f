package ai.thinkheads.phoenix.certs.activities.steps;

/** Proves the certificate with {@code expectedSerial} is in use; throws {@link StepFailedException} if not. */
public interface Verifier extends Step {

  String verify(StepContext context, String expectedSerial);
}
