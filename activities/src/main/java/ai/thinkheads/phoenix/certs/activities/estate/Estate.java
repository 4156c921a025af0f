package ai.thinkheads.phoenix.certs.activities.estate;

import ai.thinkheads.phoenix.certs.activities.audit.AuditSpec;
import ai.thinkheads.phoenix.certs.activities.issuer.Issuer;
import ai.thinkheads.phoenix.certs.workflows.model.CertificateSpec;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * What the worker's own inventory says, as one immutable snapshot: the only source of what a step may do. Steps
 * are handed names; they look everything else up here.
 */
public interface Estate {

  /** Where the inventory was read from, for messages ("/etc/phoenix-certs/phoenix.yaml"). */
  String source();

  Collection<CertificateSpec> certificates();

  Optional<CertificateSpec> certificate(String name);

  /** A digest of the certificate's whole entry: equal digests, same spec. */
  String digest(String name);

  Collection<Guest> guests();

  /** The guest listed by {@code ref} (its vmid, name or id). */
  Optional<Guest> guest(String ref);

  /** The CA every certificate of this inventory comes from. */
  Issuer issuer();

  /** The CA's health URL, to prove a guest's trust with a real TLS call; null when the CA has none. */
  String caHealthUrl();

  /**
   * Every CA address a guest's stores are kept for (Docker's certs.d has a folder per address): the CA's; during a
   * CA rotation, both CAs' (a null entry stands for a CA without one). Each such folder holds every trusted root.
   */
  default List<String> caHealthUrls() {
    return java.util.Collections.singletonList(caHealthUrl());
  }

  /** The inventory's {@code audit:} section (its defaults when the inventory has none). */
  default AuditSpec audit() {
    return AuditSpec.DEFAULT;
  }

  /** The two CAs of a rotation the inventory describes ({@code ca.previous:} or {@code ca.next:}); else empty. */
  default Optional<CaPair> caPair() {
    return Optional.empty();
  }

  /** Every root the guests must trust now: the issuer's; during a CA rotation, both CAs' roots. */
  default List<X509Certificate> trustedRoots() {
    return List.of(issuer().root());
  }

  /** Roots a CA rotation has retired: no trust store may hold them any more. */
  default List<X509Certificate> retiredRoots() {
    return List.of();
  }
}
