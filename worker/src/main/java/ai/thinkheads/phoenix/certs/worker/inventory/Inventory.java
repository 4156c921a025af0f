package ai.thinkheads.phoenix.certs.worker.inventory;

import ai.thinkheads.phoenix.certs.activities.estate.Guest;
import ai.thinkheads.phoenix.certs.workflows.model.CertificateSpec;
import java.util.List;

/** A validated inventory: every reference resolved, every value parsed. Nothing runs on anything less. */
public record Inventory(String source, CaSettings ca, List<Guest> guests, List<CertificateSpec> certificates) {

  public Inventory {
    guests = List.copyOf(guests);
    certificates = List.copyOf(certificates);
  }
}
