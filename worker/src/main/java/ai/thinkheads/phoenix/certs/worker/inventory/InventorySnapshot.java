package ai.thinkheads.phoenix.certs.worker.inventory;

import ai.thinkheads.phoenix.certs.activities.estate.CaPair;
import ai.thinkheads.phoenix.certs.activities.estate.Estate;
import ai.thinkheads.phoenix.certs.activities.estate.Guest;
import ai.thinkheads.phoenix.certs.activities.estate.SpecDigest;
import ai.thinkheads.phoenix.certs.activities.issuer.Issuer;
import ai.thinkheads.phoenix.certs.activities.plugin.Settings;
import ai.thinkheads.phoenix.certs.workflows.model.CertificateSpec;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import ai.thinkheads.phoenix.certs.workflows.rotation.RotationTarget;

/**
 * One validated inventory as every part of the worker sees it, immutable: steps, the events endpoint, reconcile
 * and the status table all read the same snapshot until a valid edit replaces it whole.
 *
 * @param digest of the file's bytes and of the files it names: equal digests, same inventory
 * @param caDigest of the CA's settings and the files they name: a new one needs a new issuer
 * @param digests per certificate: its entry and the files it depends on (the CA's, its guest's ssh files)
 */
public record InventorySnapshot(Inventory inventory, Issuer issuer, String digest, String caDigest,
    Map<String, String> digests, Map<String, CertificateSpec> byName, Instant loadedAt, Issuer partner)
    implements Estate {

  public static InventorySnapshot of(Inventory inventory, Issuer issuer, String digest, Instant loadedAt) {
    return of(inventory, issuer, digest, loadedAt, null);
  }

  static InventorySnapshot of(Inventory inventory, Issuer issuer, String digest, Instant loadedAt,
      ReferencedFiles files) {
    return of(inventory, issuer, null, digest, loadedAt, files);
  }

  /**
   * @param partner the issuer of {@code ca.previous} or {@code ca.next} (a CA rotation's other CA), or null
   * @param files the files the inventory names, whose contents count in the digests; null: none counts
   */
  public static InventorySnapshot of(Inventory inventory, Issuer issuer, Issuer partner, String digest,
      Instant loadedAt) {
    return of(inventory, issuer, partner, digest, loadedAt, null);
  }

  static InventorySnapshot of(Inventory inventory, Issuer issuer, Issuer partner, String digest,
      Instant loadedAt, ReferencedFiles files) {
    Map<String, CertificateSpec> byName = new LinkedHashMap<>();
    Map<String, String> digests = new LinkedHashMap<>();
    List<java.nio.file.Path> caFiles = files == null ? List.of() : files.ofCa(inventory.ca());
    for (CertificateSpec spec : inventory.certificates()) {
      byName.put(spec.name(), spec);
      List<java.nio.file.Path> named = new java.util.ArrayList<>(caFiles);
      named.addAll(files == null ? List.of() : files.ofTarget(spec.target()));
      digests.put(spec.name(), SpecDigest.of(SpecDigest.of(spec) + "/" + ReferencedFiles.digest(named)));
    }
    return new InventorySnapshot(inventory, issuer, digest, caDigest(inventory.ca(), caFiles), Map.copyOf(digests),
        Map.copyOf(byName), loadedAt, partner);
  }

  /** An id of a CA's settings (not of the files they name): what a rotation records of the CAs it moves between. */
  public static String caId(Settings ca) {
    // the same in every worker: the rotation records these ids, and each worker matches its own against them
    return SpecDigest.ofValue(ca);
  }

  @Override
  public Optional<CaPair> caPair() {
    if (partner == null || inventory.partnerCa() == null) {
      return Optional.empty();
    }
    String own = caId(inventory.ca());
    String other = caId(inventory.partnerCa());
    return Optional.of(inventory.previousCa() != null
        ? new CaPair(RotationTarget.CURRENT, other, partner, own, issuer)
        : new CaPair(RotationTarget.NEXT, own, issuer, other, partner));
  }

  /** The CA's settings and the contents of the files they name. */
  static String caDigest(Settings ca, List<java.nio.file.Path> caFiles) {
    return SpecDigest.of(SpecDigest.ofValue(ca) + "/" + ReferencedFiles.digest(caFiles));
  }

  @Override
  public String source() {
    return inventory.source();
  }

  @Override
  public List<CertificateSpec> certificates() {
    return inventory.certificates();
  }

  @Override
  public Optional<CertificateSpec> certificate(String name) {
    return Optional.ofNullable(name == null ? null : byName.get(name));
  }

  @Override
  public String digest(String name) {
    return digests.get(name);
  }

  @Override
  public Collection<Guest> guests() {
    return inventory.guests();
  }

  @Override
  public Optional<Guest> guest(String ref) {
    return inventory.guests().stream().filter(g -> g.answersTo(ref)).findFirst();
  }

  @Override
  public ai.thinkheads.phoenix.certs.activities.audit.AuditSpec audit() {
    return inventory.audit();
  }

  @Override
  public String caHealthUrl() {
    return issuer == null ? null : issuer.healthUrl();
  }
}
