package ai.thinkheads.phoenix.certs.activities.steps;

import ai.thinkheads.phoenix.certs.workflows.failure.FailureType;
import ai.thinkheads.phoenix.certs.activities.transport.TransportFactory;
import ai.thinkheads.phoenix.certs.workflows.model.StepSpec;
import io.temporal.failure.ApplicationFailure;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Every pluggable transport and step, by the {@code type} name the inventory uses. Adding a kind of step is one
 * class registered here by the worker; no workflow changes. The issuer is the inventory's (see Estate).
 */
public final class StepCatalog {

  private final Map<String, TransportFactory> transports;
  private final Map<String, Validator> validators;
  private final Map<String, Reloader> reloaders;
  private final Map<String, Verifier> verifiers;

  public StepCatalog(Collection<TransportFactory> transports, Collection<Validator> validators,
      Collection<Reloader> reloaders, Collection<Verifier> verifiers) {
    this.transports = index(transports, TransportFactory::type, "transport");
    this.validators = index(validators, Validator::type, "validate");
    this.reloaders = index(reloaders, Reloader::type, "reload");
    this.verifiers = index(verifiers, Verifier::type, "verify");
  }

  public TransportFactory transport(String type) {
    return lookup(transports, type, "transport");
  }

  public Validator validator(String type) {
    return lookup(validators, type, "validate");
  }

  public Reloader reloader(String type) {
    return lookup(reloaders, type, "reload");
  }

  public Verifier verifier(String type) {
    return lookup(verifiers, type, "verify");
  }

  /** The type names known for one kind of step ("transport", "validate", "reload", "verify"). */
  public Set<String> typesOf(String kind) {
    Map<String, ?> map = switch (kind) {
      case "transport" -> transports;
      case "validate" -> validators;
      case "reload" -> reloaders;
      case "verify" -> verifiers;
      default -> throw new IllegalArgumentException("no step kind " + kind);
    };
    return map.keySet();
  }

  /**
   * What is wrong with {@code step}'s settings for its type, for one kind of step ("validate", "reload",
   * "verify"); empty for an unknown type (reported as such elsewhere) and for {@code none}.
   */
  public List<SpecProblem> check(String kind, StepSpec step) {
    Map<String, ? extends Step> map = switch (kind) {
      case "validate" -> validators;
      case "reload" -> reloaders;
      case "verify" -> verifiers;
      default -> throw new IllegalArgumentException("no step kind " + kind);
    };
    Step found = map.get(step.type());
    return found == null ? List.of() : found.check(step);
  }

  private static <T> Map<String, T> index(Collection<T> items, Function<T, String> type, String kind) {
    Map<String, T> out = new TreeMap<>();
    for (T item : items) {
      if (out.put(type.apply(item), item) != null) {
        throw new IllegalStateException("two " + kind + " implementations answer to " + type.apply(item));
      }
    }
    return out;
  }

  private static <T> T lookup(Map<String, T> map, String type, String kind) {
    T found = map.get(type);
    if (found == null) {
      throw FailureType.UNKNOWN_STEP_TYPE.failure("unknown " + kind + " type '" + type + "'; known: " + map.keySet());
    }
    return found;
  }
}
