package ai.thinkheads.phoenix.certs.activities.steps;

/** Proves the certificate with {@code expectedSerial} is in use; throws {@link StepFailedException} if not. */
public interface Verifier {

  String type();

  String verify(StepContext context, String expectedSerial);
}
