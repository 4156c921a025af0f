package ai.thinkheads.phoenix.certs.workflows.certificate;

/**
 * How waiting for the certificates a certificate comes after ended: {@code note} is null when each of them
 * was between cycles, otherwise it says which were skipped and why (it becomes the status's note).
 */
public record OrderingResult(String note) {

  public static OrderingResult inOrder() {
    return new OrderingResult(null);
  }
}
