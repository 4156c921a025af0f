package ai.thinkheads.phoenix.certs.workflows.reconcile;

import java.time.Duration;
import java.util.List;

/**
 * One reconcile run's input. {@code interval} null: a single pass (a Temporal Schedule starts the next one);
 * otherwise a timer loop that continues as new, carrying the names it manages for servers without visibility.
 */
public record ReconcileInput(Duration interval, List<String> managed) {

  public static final String WORKFLOW_ID = "reconcile";

  public ReconcileInput {
    managed = managed == null ? List.of() : List.copyOf(managed);
  }
}
