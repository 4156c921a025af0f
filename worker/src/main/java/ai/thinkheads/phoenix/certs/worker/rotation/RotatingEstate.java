package ai.thinkheads.phoenix.certs.worker.rotation;

import ai.thinkheads.phoenix.certs.activities.estate.CaPair;
import ai.thinkheads.phoenix.certs.activities.estate.Estate;
import ai.thinkheads.phoenix.certs.activities.estate.Guest;
import ai.thinkheads.phoenix.certs.activities.issuer.Issuer;
import ai.thinkheads.phoenix.certs.workflows.model.CertificateSpec;
import ai.thinkheads.phoenix.certs.workflows.rotation.RotationPhase;
import ai.thinkheads.phoenix.certs.workflows.rotation.RotationProgress;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The worker's inventory as the steps see it while it names a CA rotation ({@code ca.previous} or
 * {@code ca.next}): which CA issues and which roots the guests trust follow the rotation's phase, for the pair of
 * CAs that rotation recorded. Without a rotation of that pair (not started, aborted) the CA being left issues and
 * both roots are trusted, so nothing is ever issued from a root a guest might not trust yet.
 */
public final class RotatingEstate implements Estate {

  private final Estate inventory;
  private final Optional<RotationPhase> phase;

  public RotatingEstate(Estate inventory, Supplier<Optional<RotationProgress>> rotation) {
    this.inventory = inventory;
    Optional<CaPair> pair = inventory.caPair();
    this.phase = pair.isEmpty() ? Optional.empty() : rotation.get()
        .filter(p -> pair.get().fromId().equals(p.fromCa()) && pair.get().toId().equals(p.toCa()))
        .map(RotationProgress::phase);
  }

  @Override
  public Issuer issuer() {
    Optional<CaPair> pair = inventory.caPair();
    if (pair.isEmpty()) {
      return inventory.issuer();
    }
    return phase.map(RotationPhase::newCaIssues).orElse(false) ? pair.get().to() : pair.get().from();
  }

  @Override
  public List<X509Certificate> trustedRoots() {
    Optional<CaPair> pair = inventory.caPair();
    if (pair.isEmpty()) {
      return inventory.trustedRoots();
    }
    X509Certificate to = pair.get().to().root();
    if (retired(pair.get())) {
      return List.of(to);
    }
    X509Certificate from = pair.get().from().root();
    return from.equals(to) ? List.of(from) : List.of(from, to);
  }

  @Override
  public List<X509Certificate> retiredRoots() {
    Optional<CaPair> pair = inventory.caPair();
    return pair.isPresent() && retired(pair.get()) ? List.of(pair.get().from().root()) : List.of();
  }

  private boolean retired(CaPair pair) {
    return pair.rootChanges() && phase.map(RotationPhase::oldRootRetired).orElse(false);
  }

  @Override
  public String caHealthUrl() {
    return issuer().healthUrl();
  }

  /** Both CAs' addresses while the inventory names a rotation: the one being left keeps its folders right too. */
  @Override
  public List<String> caHealthUrls() {
    Optional<CaPair> pair = inventory.caPair();
    if (pair.isEmpty()) {
      return inventory.caHealthUrls();
    }
    List<String> urls = new java.util.ArrayList<>();
    urls.add(pair.get().from().healthUrl());
    if (!java.util.Objects.equals(pair.get().from().healthUrl(), pair.get().to().healthUrl())) {
      urls.add(pair.get().to().healthUrl());
    }
    return urls;
  }

  @Override
  public Optional<CaPair> caPair() {
    return inventory.caPair();
  }

  @Override
  public String source() {
    return inventory.source();
  }

  @Override
  public Collection<CertificateSpec> certificates() {
    return inventory.certificates();
  }

  @Override
  public Optional<CertificateSpec> certificate(String name) {
    return inventory.certificate(name);
  }

  @Override
  public String digest(String name) {
    return inventory.digest(name);
  }

  @Override
  public Collection<Guest> guests() {
    return inventory.guests();
  }

  @Override
  public Optional<Guest> guest(String ref) {
    return inventory.guest(ref);
  }

  @Override
  public String toString() {
    return inventory.caPair().map(p -> "rotation " + p.fromId() + " -> " + p.toId() + ": "
        + phase.map(Enum::name).orElse("not started")).orElse("no rotation");
  }

  /** The inventory's audit section (without this the worker audited with the defaults: 24h, no listed source). */
  @Override
  public ai.thinkheads.phoenix.certs.activities.audit.AuditSpec audit() {
    return inventory.audit();
  }
}
