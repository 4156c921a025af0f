package ai.thinkheads.phoenix.certs.worker.status;

import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateStatus;
import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateWorkflow;
import io.temporal.common.interceptors.WorkerInterceptorBase;
import io.temporal.common.interceptors.WorkflowInboundCallsInterceptor;
import io.temporal.common.interceptors.WorkflowInboundCallsInterceptorBase;
import io.temporal.common.interceptors.WorkflowOutboundCallsInterceptor;
import io.temporal.common.interceptors.WorkflowOutboundCallsInterceptorBase;
import io.temporal.workflow.Workflow;
import java.util.Map;

/**
 * Feeds the {@link StatusProjection} from the status memo the certificate workflows upsert, as this worker runs
 * them. It sees the value before it is encoded, costs no call and adds nothing to any history: the memo upsert is
 * the workflow's own command. Replayed upserts are skipped: they are older than what the projection holds.
 */
public final class StatusInterceptor extends WorkerInterceptorBase {

  private final StatusProjection projection;

  public StatusInterceptor(StatusProjection projection) {
    this.projection = projection;
  }

  @Override
  public WorkflowInboundCallsInterceptor interceptWorkflow(WorkflowInboundCallsInterceptor next) {
    return new WorkflowInboundCallsInterceptorBase(next) {
      @Override
      public void init(WorkflowOutboundCallsInterceptor outboundCalls) {
        super.init(new WorkflowOutboundCallsInterceptorBase(outboundCalls) {
          @Override
          public void upsertMemo(Map<String, Object> memo) {
            super.upsertMemo(memo);
            if (memo.get(CertificateWorkflow.STATUS_MEMO) instanceof CertificateStatus status
                && !Workflow.isReplaying()) {
              projection.publish(status);
            }
          }
        });
      }
    };
  }
}
