package ai.thinkheads.phoenix.certs.activities.testing;

import ai.thinkheads.phoenix.certs.activities.estate.Estate;
import ai.thinkheads.phoenix.certs.activities.estate.Guest;
import ai.thinkheads.phoenix.certs.activities.estate.SpecDigest;
import ai.thinkheads.phoenix.certs.activities.issuer.Issuer;
import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateRef;
import ai.thinkheads.phoenix.certs.workflows.model.CertificateSpec;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An inventory that tests fill in code, as the worker's inventory file would: the certificates and guests the
 * steps may act on, and the issuer. Changes show at once (each step reads it afresh).
 */
public final class TestEstate implements Estate {

  private final Map<String, CertificateSpec> certificates = new ConcurrentHashMap<>();
  private final Map<String, Guest> guests = new ConcurrentHashMap<>();
  private volatile Issuer issuer;
  private volatile String caHealthUrl;
  private volatile ai.thinkheads.phoenix.certs.activities.audit.AuditSpec audit =
      ai.thinkheads.phoenix.certs.activities.audit.AuditSpec.DEFAULT;

  public TestEstate(Issuer issuer) {
    this.issuer = issuer;
  }

  /** Lists (or replaces) {@code spec}; returns the reference a cycle starting now would carry. */
  public CertificateRef put(CertificateSpec spec) {
    certificates.put(spec.name(), spec);
    return new CertificateRef(spec.name(), digest(spec.name()));
  }

  public TestEstate putAll(CertificateSpec... specs) {
    for (CertificateSpec spec : specs) {
      put(spec);
    }
    return this;
  }

  public TestEstate remove(String name) {
    certificates.remove(name);
    return this;
  }

  public TestEstate put(Guest guest) {
    guests.put(guest.id(), guest);
    return this;
  }

  public TestEstate issuer(Issuer newIssuer) {
    issuer = newIssuer;
    return this;
  }

  public TestEstate caHealthUrl(String url) {
    caHealthUrl = url;
    return this;
  }

  /** The inventory's audit section, as the worker's reader would have checked it. */
  public TestEstate audit(ai.thinkheads.phoenix.certs.activities.audit.AuditSpec spec) {
    audit = spec;
    return this;
  }

  @Override
  public ai.thinkheads.phoenix.certs.activities.audit.AuditSpec audit() {
    return audit;
  }

  @Override
  public String source() {
    return "test estate";
  }

  @Override
  public Collection<CertificateSpec> certificates() {
    return List.copyOf(certificates.values());
  }

  @Override
  public Optional<CertificateSpec> certificate(String name) {
    return Optional.ofNullable(name == null ? null : certificates.get(name));
  }

  @Override
  public String digest(String name) {
    CertificateSpec spec = certificates.get(name);
    return spec == null ? null : SpecDigest.of(spec);
  }

  @Override
  public Collection<Guest> guests() {
    return List.copyOf(guests.values());
  }

  @Override
  public Optional<Guest> guest(String ref) {
    return guests.values().stream().filter(g -> g.answersTo(ref)).findFirst();
  }

  @Override
  public Issuer issuer() {
    return issuer;
  }

  @Override
  public String caHealthUrl() {
    return caHealthUrl;
  }
}
