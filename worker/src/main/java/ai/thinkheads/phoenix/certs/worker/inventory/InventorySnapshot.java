package ai.thinkheads.phoenix.certs.worker.inventory;

import ai.thinkheads.phoenix.certs.activities.estate.Estate;
import ai.thinkheads.phoenix.certs.activities.estate.Guest;
import ai.thinkheads.phoenix.certs.activities.estate.SpecDigest;
import ai.thinkheads.phoenix.certs.activities.issuer.Issuer;
import ai.thinkheads.phoenix.certs.workflows.model.CertificateSpec;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One validated inventory as every part of the worker sees it, immutable: steps, the events endpoint, reconcile
 * and the status table all read the same snapshot until a valid edit replaces it whole.
 *
 * @param digest of the file's bytes: equal digests, same inventory
 */
public record InventorySnapshot(Inventory inventory, Issuer issuer, String digest, Map<String, String> digests,
    Map<String, CertificateSpec> byName, Instant loadedAt) implements Estate {

  public static InventorySnapshot of(Inventory inventory, Issuer issuer, String digest, Instant loadedAt) {
    Map<String, CertificateSpec> byName = new LinkedHashMap<>();
    Map<String, String> digests = new LinkedHashMap<>();
    for (CertificateSpec spec : inventory.certificates()) {
      byName.put(spec.name(), spec);
      digests.put(spec.name(), SpecDigest.of(spec));
    }
    return new InventorySnapshot(inventory, issuer, digest, Map.copyOf(digests), Map.copyOf(byName), loadedAt);
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
  public String caHealthUrl() {
    return issuer == null ? null : issuer.healthUrl();
  }
}
