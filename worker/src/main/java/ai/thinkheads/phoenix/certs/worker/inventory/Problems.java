package ai.thinkheads.phoenix.certs.worker.inventory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Collects inventory problems as they are found, each at the location of the field it is about. */
final class Problems {

  private final String file;
  private final List<InventoryError> errors = new ArrayList<>();
  private LocatedYaml.Document document;

  Problems(String file) {
    this.file = file;
  }

  void attach(LocatedYaml.Document parsed) {
    this.document = parsed;
  }

  void add(String pointer, Location location, String reason) {
    errors.add(new InventoryError(file, location, fieldName(pointer), reason));
  }

  /** A problem about the field at {@code pointer} ("/guests/1/vmid"), located from the parsed document. */
  void at(String pointer, String reason) {
    add(pointer, document == null ? Location.START : document.locate(pointer), reason);
  }

  int count() {
    return errors.size();
  }

  boolean any() {
    return !errors.isEmpty();
  }

  List<InventoryError> sorted() {
    List<InventoryError> out = new ArrayList<>(errors);
    out.sort(Comparator.comparingInt((InventoryError e) -> e.location().line())
        .thenComparingInt(e -> e.location().column()));
    return out;
  }

  /** "/certificates/0/files/cert" reads as "certificates[0].files.cert". */
  static String fieldName(String pointer) {
    StringBuilder out = new StringBuilder();
    for (String part : pointer.split("/")) {
      if (part.isEmpty()) {
        continue;
      }
      part = part.replace("~1", "/").replace("~0", "~");
      if (part.chars().allMatch(Character::isDigit)) {
        out.append('[').append(part).append(']');
      } else {
        out.append(out.length() == 0 ? "" : ".").append(part);
      }
    }
    return out.toString();
  }
}
