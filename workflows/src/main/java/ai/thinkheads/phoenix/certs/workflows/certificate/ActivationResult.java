package ai.thinkheads.phoenix.certs.workflows.certificate;

/** What {@code activate} swapped: the serial now live, and the one kept as the backup (null on a first issue). */
public record ActivationResult(String activeSerial, String previousSerial) {

  public boolean hadPrevious() {
    return previousSerial != null;
  }
}
