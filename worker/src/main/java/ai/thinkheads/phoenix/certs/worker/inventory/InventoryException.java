package ai.thinkheads.phoenix.certs.worker.inventory;

import java.util.List;
import java.util.stream.Collectors;

/** The inventory is not usable; carries every problem found, one line each, so they can be fixed in one go. */
public final class InventoryException extends RuntimeException {

  private final List<InventoryError> errors;

  public InventoryException(List<InventoryError> errors) {
    super(errors.size() + " problem" + (errors.size() == 1 ? "" : "s") + " in the inventory:\n"
        + errors.stream().map(e -> "  " + e).collect(Collectors.joining("\n")));
    this.errors = List.copyOf(errors);
  }

  public List<InventoryError> errors() {
    return errors;
  }
}
