package ai.thinkheads.phoenix.certs.worker.inventory;

import ai.thinkheads.phoenix.certs.activities.estate.Guest;
import ai.thinkheads.phoenix.certs.activities.plugin.Settings;
import ai.thinkheads.phoenix.certs.workflows.model.CertificateSpec;
import java.util.List;

/**
 * A validated inventory: every reference resolved, every value parsed. Nothing runs on anything less.
 *
 * @param ca the issuer plugin's checked settings (its type and options): the estate's one CA
 */
public record Inventory(String source, Settings ca, List<Guest> guests, List<CertificateSpec> certificates,
    Settings previousCa, Settings nextCa) {

  public Inventory {
    guests = List.copyOf(guests);
    certificates = List.copyOf(certificates);
  }

  public Inventory(String source, Settings ca, List<Guest> guests, List<CertificateSpec> certificates) {
    this(source, ca, guests, certificates, null, null);
  }

  /** The other CA of a rotation: {@code ca.previous} or {@code ca.next}; null when the inventory names none. */
  public Settings partnerCa() {
    return previousCa != null ? previousCa : nextCa;
  }
}
