package ai.thinkheads.phoenix.certs.workflows.rotation;

/**
 * Which of the inventory's CAs a rotation moves to, named, never described: {@code next} moves from {@code ca:}
 * to {@code ca.next:}; {@code current} moves from {@code ca.previous:} to {@code ca:} (the inventory already names
 * the new CA). The worker reads both CAs' settings from its own inventory.
 */
public enum RotationTarget {
  NEXT,
  CURRENT;

  public static RotationTarget parse(String text) {
    for (RotationTarget target : values()) {
      if (target.name().equalsIgnoreCase(text == null ? "" : text.trim())) {
        return target;
      }
    }
    throw new IllegalArgumentException("--to takes 'next' (ca: -> ca.next:) or 'current' (ca.previous: -> ca:), "
        + "not '" + text + "'");
  }
}
