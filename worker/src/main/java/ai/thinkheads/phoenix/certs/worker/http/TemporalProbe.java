package ai.thinkheads.phoenix.certs.worker.http;

import io.grpc.ConnectivityState;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.workflowservice.v1.GetSystemInfoRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowServiceException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Whether Temporal answers, asked with a short deadline and no SDK retries: the SDK's own calls retry an
 * unreachable server for many seconds, far longer than a hookscript waits.
 */
final class TemporalProbe {

  static final Duration TIMEOUT = Duration.ofSeconds(1);

  private TemporalProbe() {}

  /** Null when Temporal answered, else why not. */
  static String problem(WorkflowClient client) {
    try {
      client.getWorkflowServiceStubs().blockingStub()
          .withDeadlineAfter(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
          .getSystemInfo(GetSystemInfoRequest.getDefaultInstance());
      return null;
    } catch (StatusRuntimeException e) {
      return "Temporal did not answer: " + e.getStatus().getCode() + describe(e.getStatus());
    }
  }

  /**
   * Like {@link #problem} but free when the connection is up: a ready channel means Temporal answered moments ago,
   * and a lost connection leaves READY at once, so events pay for a probe only when it can tell something.
   */
  static String problemUnlessConnected(WorkflowClient client) {
    ConnectivityState state = client.getWorkflowServiceStubs().getRawChannel().getState(false);
    return state == ConnectivityState.READY ? null : problem(client);
  }

  /** True for failures that mean "cannot reach Temporal now" rather than "Temporal refused this". */
  static boolean isUnreachable(RuntimeException e) {
    Throwable cause = e instanceof WorkflowServiceException ? e.getCause() : e;
    if (cause instanceof StatusRuntimeException grpc) {
      Status.Code code = grpc.getStatus().getCode();
      return code == Status.Code.UNAVAILABLE || code == Status.Code.DEADLINE_EXCEEDED
          || code == Status.Code.RESOURCE_EXHAUSTED;
    }
    return false;
  }

  private static String describe(Status status) {
    return status.getDescription() == null ? "" : " (" + status.getDescription() + ")";
  }
}
