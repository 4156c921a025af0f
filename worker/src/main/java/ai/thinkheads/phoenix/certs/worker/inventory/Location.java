package ai.thinkheads.phoenix.certs.worker.inventory;

/** A line and column in the inventory file, 1-based, as an editor shows them. */
public record Location(int line, int column) {
  public static final Location START = new Location(1, 1);
}
