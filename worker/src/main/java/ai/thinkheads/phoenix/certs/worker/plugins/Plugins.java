package ai.thinkheads.phoenix.certs.worker.plugins;

import ai.thinkheads.phoenix.certs.activities.issuer.Issuer;
import ai.thinkheads.phoenix.certs.activities.steps.Reloader;
import ai.thinkheads.phoenix.certs.activities.steps.SpecProblem;
import ai.thinkheads.phoenix.certs.activities.steps.StepCatalog;
import ai.thinkheads.phoenix.certs.activities.steps.Validator;
import ai.thinkheads.phoenix.certs.activities.steps.Verifier;
import ai.thinkheads.phoenix.certs.activities.transport.TransportFactory;
import ai.thinkheads.phoenix.certs.worker.inventory.CaSettings;
import ai.thinkheads.phoenix.certs.worker.inventory.InventoryLoader;
import ai.thinkheads.phoenix.certs.worker.inventory.InventoryStore;
import ai.thinkheads.phoenix.certs.workflows.model.StepSpec;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The implementations registered as beans, by type name: what the inventory may name, and the catalog the
 * activities run on once the inventory says which CA to use.
 */
@Singleton
public class Plugins {

  private final List<IssuerProvider> issuers;
  private final List<TransportFactory> transports;
  private final List<Validator> validators;
  private final List<Reloader> reloaders;
  private final List<Verifier> verifiers;
  private final StepCatalog steps;

  public Plugins(List<IssuerProvider> issuers, List<TransportFactory> transports, List<Validator> validators,
      List<Reloader> reloaders, List<Verifier> verifiers) {
    this.issuers = issuers;
    this.transports = transports;
    this.validators = validators;
    this.reloaders = reloaders;
    this.verifiers = verifiers;
    this.steps = new StepCatalog(transports, validators, reloaders, verifiers);
  }

  public Set<String> typesOf(String kind) {
    return new TreeSet<>(switch (kind) {
      case "issuer" -> issuers.stream().map(IssuerProvider::type).collect(Collectors.toSet());
      case "transport" -> transports.stream().map(TransportFactory::type).collect(Collectors.toSet());
      case "validate" -> validators.stream().map(Validator::type).collect(Collectors.toSet());
      case "reload" -> reloaders.stream().map(Reloader::type).collect(Collectors.toSet());
      case "verify" -> verifiers.stream().map(Verifier::type).collect(Collectors.toSet());
      default -> throw new IllegalArgumentException("no step kind " + kind);
    });
  }

  /** What the implementation of {@code step}'s type finds wrong with its settings (see {@link StepCatalog#check}). */
  public List<SpecProblem> check(String kind, StepSpec step) {
    return steps.check(kind, step);
  }

  public InventoryLoader inventoryLoader() {
    return new InventoryLoader(this::typesOf, this::check);
  }

  /** The transports and steps, by type. */
  public StepCatalog steps() {
    return steps;
  }

  /** The issuer the inventory's CA settings describe. */
  public Issuer issuer(CaSettings ca) {
    IssuerProvider provider = issuers.stream().filter(p -> p.type().equals(ca.type())).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no issuer of type " + ca.type()));
    return provider.create(ca);
  }

  /** The inventory in {@code file}, owned by one store; throws {@code InventoryException} when it is invalid. */
  public InventoryStore open(Path file) {
    return InventoryStore.open(file, inventoryLoader(), this::issuer);
  }
}
