package ai.thinkheads.phoenix.certs.worker.http;

import ai.thinkheads.phoenix.certs.worker.inventory.InventoryStore;
import ai.thinkheads.phoenix.certs.worker.status.StatusProjection;
import jakarta.inject.Singleton;

/** The running engine's status projection and inventory, for {@code GET /status}; unset until the engine runs. */
@Singleton
public class StatusService {

  record Attached(StatusProjection statuses, InventoryStore inventory) {}

  private volatile Attached attached;

  public void attach(StatusProjection statuses, InventoryStore inventory) {
    attached = new Attached(statuses, inventory);
  }

  Attached attached() {
    return attached;
  }
}
