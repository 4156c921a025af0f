package ai.thinkheads.phoenix.certs.activities.certificate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.thinkheads.phoenix.certs.activities.testing.HistoryScan;
import ai.thinkheads.phoenix.certs.activities.testing.LocalStack;
import ai.thinkheads.phoenix.certs.activities.testing.SpecSteps;
import ai.thinkheads.phoenix.certs.activities.testing.RecordingCodec;
import ai.thinkheads.phoenix.certs.activities.testing.TemporalClock;
import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateStatus;
import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateStatus.Outcome;
import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateWorkflow;
import ai.thinkheads.phoenix.certs.activities.testing.CertificateWorkers;
import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateRun;
import ai.thinkheads.phoenix.certs.workflows.model.CertificateSpec;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue, renew and a rolled-back renewal, then every history of every run is searched for key material. */
class SecretsInHistoryTest {

  @TempDir
  Path dir;

  @Test
  void noPrivateKeyEverEntersHistory() throws Exception {
    RecordingCodec recorder = new RecordingCodec();
    try (TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance(TestEnvironmentOptions.newBuilder()
        .setWorkflowClientOptions(WorkflowClientOptions.newBuilder().setDataConverter(recorder.dataConverter())
            .build())
        .build())) {
      SpecSteps activities = LocalStack.steps(LocalStack.issuer(dir, new TemporalClock(env::currentTimeMillis)),
        new TemporalClock(env::currentTimeMillis));
      Worker worker = env.newWorker(CertificateWorkflow.TASK_QUEUE);
      CertificateWorkers.register(worker, env.getWorkflowClient(), activities.authority(), activities.activities());
      env.start();
      WorkflowClient client = env.getWorkflowClient();
      CertificateSpec spec = LocalStack.spec(dir, "web", Duration.ofHours(3));
      activities.estate().put(spec);
      WorkflowExecution first = WorkflowClient.start(client.newWorkflowStub(CertificateWorkflow.class,
          WorkflowOptions.newBuilder().setWorkflowId(spec.workflowId()).setTaskQueue(CertificateWorkflow.TASK_QUEUE)
              .build())::run, CertificateRun.first(spec.name()));
      CertificateWorkflow workflow = client.newWorkflowStub(CertificateWorkflow.class, spec.workflowId());
      List<String> secrets = new ArrayList<>();

      await(env, workflow, Outcome.ISSUED);
      secrets.addAll(HistoryScan.fingerprintsOf(Path.of(spec.files().key())));
      workflow.renewNow();
      await(env, workflow, Outcome.RENEWED);
      secrets.addAll(HistoryScan.fingerprintsOf(Path.of(spec.files().key())));
      activities.estate().put(CertificateActivitiesImplTest.withReload(spec, List.of("false")));
      workflow.inventoryChanged();
      workflow.renewNow();
      await(env, workflow, Outcome.ROLLED_BACK);
      secrets.addAll(HistoryScan.fingerprintsOf(Path.of(spec.files().key())));

      List<String> stored = new ArrayList<>(recorder.payloads());
      stored.add(client.fetchHistory(spec.workflowId(), first.getRunId()).toJson(false));
      stored.add(client.fetchHistory(spec.workflowId()).toJson(false));
      assertTrue(stored.size() > 30, "every payload sent to the server was scanned: " + stored.size());
      assertTrue(stored.stream().anyMatch(h -> h.contains("BEGIN CERTIFICATE")),
          "the scan sees inside payloads (certificates are there, in the clear)");
      assertEquals(List.of(), HistoryScan.hits(stored, secrets));
      assertFalse(secrets.isEmpty());
    }
  }

  private static void await(TestWorkflowEnvironment env, CertificateWorkflow workflow, Outcome outcome) {
    for (int i = 0; i < 60; i++) {
      CertificateStatus status = workflow.status();
      if (status != null && status.lastOutcome() == outcome) {
        return;
      }
      env.sleep(Duration.ofSeconds(1));
    }
    throw new AssertionError("never reached " + outcome + "; status " + workflow.status());
  }
}
