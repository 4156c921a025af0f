package ai.thinkheads.phoenix.certs.activities.audit;

import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.client.WorkflowClient;

/** Whether a workflow (a certificate's {@code cert/<name>}) is running, as Temporal says. */
public interface WorkflowProbe {

  /** True or false; null when Temporal cannot be asked. */
  Boolean running(String workflowId);

  static WorkflowProbe of(WorkflowClient client) {
    return workflowId -> {
      try {
        var described = client.getWorkflowServiceStubs().blockingStub().describeWorkflowExecution(
            DescribeWorkflowExecutionRequest.newBuilder().setNamespace(client.getOptions().getNamespace())
                .setExecution(WorkflowExecution.newBuilder().setWorkflowId(workflowId)).build());
        return described.getWorkflowExecutionInfo().getStatus()
            == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING;
      } catch (io.grpc.StatusRuntimeException e) {
        return e.getStatus().getCode() == io.grpc.Status.Code.NOT_FOUND ? Boolean.FALSE : null;
      }
    };
  }
}
