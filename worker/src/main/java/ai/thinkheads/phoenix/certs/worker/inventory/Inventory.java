package ai.thinkheads.phoenix.certs.worker.inventory;

import ai.thinkheads.phoenix.certs.activities.audit.AuditSpec;
import ai.thinkheads.phoenix.certs.activities.estate.Guest;
import ai.thinkheads.phoenix.certs.activities.plugin.Settings;
import ai.thinkheads.phoenix.certs.workflows.model.CertificateSpec;
import java.util.List;

/**
 * A validated inventory: every reference resolved, every value parsed. Nothing runs on anything less.
 *
 * @param ca the issuer plugin's checked settings (its type and options): the estate's one CA
 * @param audit the {@code audit:} section, checked (its defaults when absent)
 */
public record Inventory(String source, Settings ca, List<Guest> guests, List<CertificateSpec> certificates,
    AuditSpec audit) {

  public Inventory {
    guests = List.copyOf(guests);
    certificates = List.copyOf(certificates);
    audit = audit == null ? AuditSpec.DEFAULT : audit;
  }

  /** Without an {@code audit:} section: the audit's defaults. */
  public Inventory(String source, Settings ca, List<Guest> guests, List<CertificateSpec> certificates) {
    this(source, ca, guests, certificates, AuditSpec.DEFAULT);
  }
}
