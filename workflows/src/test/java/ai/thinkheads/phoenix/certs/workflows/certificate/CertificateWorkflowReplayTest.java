package ai.thinkheads.phoenix.certs.workflows.certificate;

import io.temporal.testing.WorkflowReplayer;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Replays a captured history (issue, renewNow, renewal, continue-as-new) against today's workflow code: a change
 * that is not deterministic fails here instead of in production. Refresh the capture with
 * {@code mvn -pl activities test -Dtest=CertificateWorkflowTest#captureHistoryForTheReplayTest
 * -Dphoenix.captureHistory=$PWD/workflows/src/test/resources/histories/certificate-renew-now.json} only when
 * the change is meant to be incompatible (and versioned).
 */
class CertificateWorkflowReplayTest {

  @Test
  void capturedRenewalHistoryReplays() throws Exception {
    try (InputStream in = getClass().getResourceAsStream("/histories/certificate-renew-now.json")) {
      String json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      WorkflowReplayer.replayWorkflowExecution(json, CertificateWorkflowImpl.class);
    }
  }
}
