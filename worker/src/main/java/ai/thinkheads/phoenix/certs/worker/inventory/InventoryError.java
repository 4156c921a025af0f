package ai.thinkheads.phoenix.certs.worker.inventory;

/** One problem in an inventory file: where it is, which field, and what is wrong with it. */
public record InventoryError(String file, Location location, String field, String reason) {

  @Override
  public String toString() {
    return file + ":" + location.line() + ":" + location.column() + ": " + (field.isEmpty() ? "" : field + ": ")
        + reason;
  }
}
