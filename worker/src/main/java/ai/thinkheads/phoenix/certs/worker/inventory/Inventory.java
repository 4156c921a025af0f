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
 * @param previousCa {@code ca.previous}: the CA a rotation moves away from (null when none)
 * @param nextCa {@code ca.next}: the CA a rotation moves to (null when none)
 */
public record Inventory(String source, Settings ca, List<Guest> guests, List<CertificateSpec> certificates,
    AuditSpec audit, Settings previousCa, Settings nextCa) {

  public Inventory {
    guests = List.copyOf(guests);
    certificates = List.copyOf(certificates);
    audit = audit == null ? AuditSpec.DEFAULT : audit;
  }

  /** Without an {@code audit:} section (the audit's defaults) and without a CA rotation. */
  public Inventory(String source, Settings ca, List<Guest> guests, List<CertificateSpec> certificates) {
    this(source, ca, guests, certificates, AuditSpec.DEFAULT, null, null);
  }

  /** Without a CA rotation. */
  public Inventory(String source, Settings ca, List<Guest> guests, List<CertificateSpec> certificates,
      AuditSpec audit) {
    this(source, ca, guests, certificates, audit, null, null);
  }

  /** Without an {@code audit:} section: the audit's defaults. */
  public Inventory(String source, Settings ca, List<Guest> guests, List<CertificateSpec> certificates,
      Settings previousCa, Settings nextCa) {
    this(source, ca, guests, certificates, AuditSpec.DEFAULT, previousCa, nextCa);
  }

  /** The other CA of a rotation: {@code ca.previous} or {@code ca.next}; null when the inventory names none. */
  public Settings partnerCa() {
    return previousCa != null ? previousCa : nextCa;
  }
}
