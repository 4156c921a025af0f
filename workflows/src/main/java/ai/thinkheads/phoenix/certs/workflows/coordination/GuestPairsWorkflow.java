package ai.thinkheads.phoenix.certs.workflows.coordination;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * One per guest with certificates, forever: what must hold across the guest's certificates whichever worker runs
 * which step. It grants the guest's pairs (a swap, with the check and any restore that follow it, exclusively; a
 * reload, which reads them, shared), so no service reads a pair while another is half swapped; and it gathers
 * the reloads of certificates renewed together into one, which it runs itself. Workflow ID {@code pairs/<vmid or name>}, type {@code GuestPairs}. Its state lives in
 * Temporal: a worker that dies holds nothing.
 */
@WorkflowInterface
public interface GuestPairsWorkflow {

  String TYPE = "GuestPairs";

  /** "lxc/101" and "101" give "pairs/101"; "local/here" gives "pairs/here". */
  static String workflowIdFor(String guestId) {
    return "pairs/" + guestId.substring(guestId.indexOf('/') + 1);
  }

  @WorkflowMethod(name = TYPE)
  void run(GuestPairsRun input);

  @SignalMethod
  void acquire(LeaseRequest request);

  @SignalMethod
  void release(String leaseId);

  @SignalMethod
  void expectReload(ReloadExpectation expectation);

  @SignalMethod
  void requestReload(ReloadRequest request);

  @QueryMethod
  GuestPairsState state();
}
