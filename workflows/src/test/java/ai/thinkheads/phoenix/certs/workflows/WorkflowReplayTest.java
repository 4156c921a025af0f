package ai.thinkheads.phoenix.certs.workflows;

import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateWorkflowImpl;
import ai.thinkheads.phoenix.certs.workflows.coordination.GuestPairsWorkflowImpl;
import ai.thinkheads.phoenix.certs.workflows.guest.GuestOnboardingWorkflowImpl;
import ai.thinkheads.phoenix.certs.workflows.reconcile.ReconcileWorkflowImpl;
import io.temporal.testing.WorkflowReplayer;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Replays captured histories of every workflow against today's code: a change that is not deterministic fails
 * here instead of in production. The captures come from the tests that run each workflow on real components
 * (CertificateWorkflowTest, StepCaGuestLifecycleTest, ReconcileTest, CertificateOrderTest's first test for a
 * certificate that waits for the one it comes after, and the coordinator of their guest, written next to it)
 * with -Dphoenix.captureHistory=<file> (ca-rotation.json: the worker's CaRotationEndToEndTest);
 * refresh one only for a change that is meant to be incompatible, and version it (Workflow.getVersion).
 */
class WorkflowReplayTest {

  static Stream<Arguments> histories() {
    return Stream.of(
        Arguments.of("certificate-renew-now.json", CertificateWorkflowImpl.class),
        Arguments.of("certificate-after.json", CertificateWorkflowImpl.class),
        Arguments.of("guest-pairs.json", GuestPairsWorkflowImpl.class),
        Arguments.of("guest-onboarding.json", GuestOnboardingWorkflowImpl.class),
        Arguments.of("reconcile.json", ReconcileWorkflowImpl.class),
        Arguments.of("ca-rotation.json", ai.thinkheads.phoenix.certs.workflows.rotation.RotationWorkflowImpl.class));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("histories")
  void capturedHistoryReplays(String file, Class<?> workflow) throws Exception {
    try (InputStream in = getClass().getResourceAsStream("/histories/" + file)) {
      if (in == null) {
        throw new AssertionError("missing captured history " + file);
      }
      WorkflowReplayer.replayWorkflowExecution(new String(in.readAllBytes(), StandardCharsets.UTF_8), workflow);
    }
  }
}
