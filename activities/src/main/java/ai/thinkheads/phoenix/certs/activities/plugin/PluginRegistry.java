package ai.thinkheads.phoenix.certs.activities.plugin;

import ai.thinkheads.phoenix.certs.workflows.failure.FailureType;
import ai.thinkheads.phoenix.certs.activities.audit.AuditSource;
import ai.thinkheads.phoenix.certs.activities.issuer.Issuer;
import ai.thinkheads.phoenix.certs.activities.issuer.IssuerContext;
import ai.thinkheads.phoenix.certs.activities.issuer.IssuerPlugin;
import ai.thinkheads.phoenix.certs.activities.steps.Reloader;
import ai.thinkheads.phoenix.certs.activities.steps.Validator;
import ai.thinkheads.phoenix.certs.activities.steps.Verifier;
import ai.thinkheads.phoenix.certs.activities.transport.TransportFactory;
import io.temporal.failure.ApplicationFailure;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Every plugin the worker knows, by family and {@code type}: what the inventory may name, what the reader checks
 * entries against, and what the steps run on. The one registry: issuers, transports and steps alike. Immutable;
 * {@link #with} makes a registry with more plugins (how a test adds its own without touching this code).
 */
public final class PluginRegistry {

  private final List<Plugin> plugins;
  private final Map<Family, Map<String, Plugin>> byFamily = new EnumMap<>(Family.class);

  private PluginRegistry(List<Plugin> plugins) {
    this.plugins = List.copyOf(plugins);
    for (Family family : Family.values()) {
      byFamily.put(family, new TreeMap<>());
    }
    for (Plugin plugin : this.plugins) {
      boolean any = false;
      for (Family family : Family.values()) {
        if (family.contract().isInstance(plugin)) {
          any = true;
          Plugin previous = byFamily.get(family).put(plugin.type(), plugin);
          if (previous != null) {
            throw new IllegalStateException("two " + family.id() + " plugins answer to type '" + plugin.type()
                + "': " + previous.getClass().getName() + " and " + plugin.getClass().getName());
          }
        }
      }
      if (!any) {
        throw new IllegalArgumentException(plugin.getClass().getName() + " implements no plugin family ("
            + Arrays.stream(Family.values()).map(f -> f.contract().getSimpleName()).toList() + ")");
      }
    }
  }

  public static PluginRegistry of(Plugin... plugins) {
    return new PluginRegistry(List.of(plugins));
  }

  public static PluginRegistry of(Collection<? extends Plugin> plugins) {
    return new PluginRegistry(List.copyOf(plugins));
  }

  /** This registry and {@code more}; a type already known in one of their families is an error. */
  public PluginRegistry with(Plugin... more) {
    return with(List.of(more));
  }

  public PluginRegistry with(Collection<? extends Plugin> more) {
    List<Plugin> all = new ArrayList<>(plugins);
    all.addAll(more);
    return new PluginRegistry(all);
  }

  /** The types known in {@code family}, sorted. */
  public Set<String> types(Family family) {
    return byFamily.get(family).keySet();
  }

  public Optional<Plugin> find(Family family, String type) {
    return Optional.ofNullable(type == null ? null : byFamily.get(family).get(type));
  }

  /**
   * What is wrong with {@code settings} for the plugin of its type in {@code family}: undeclared options, missing
   * required ones, values of the wrong kind, then the plugin's own check. Empty for an unknown type (reported as
   * such by whoever asked for it).
   */
  public List<SpecProblem> check(Family family, Settings settings) {
    return find(family, settings.type()).map(p -> PluginChecks.problems(p, settings)).orElse(List.of());
  }

  public IssuerPlugin issuerPlugin(String type) {
    return lookup(Family.ISSUER, type, IssuerPlugin.class);
  }

  /** The issuer {@code settings} describe (checked by the inventory reader). */
  public Issuer issuer(Settings settings, IssuerContext context) {
    return issuerPlugin(settings.type()).create(settings, context);
  }

  public TransportFactory transport(String type) {
    return lookup(Family.TRANSPORT, type, TransportFactory.class);
  }

  public Validator validator(String type) {
    return lookup(Family.VALIDATE, type, Validator.class);
  }

  public Reloader reloader(String type) {
    return lookup(Family.RELOAD, type, Reloader.class);
  }

  public Verifier verifier(String type) {
    return lookup(Family.VERIFY, type, Verifier.class);
  }

  public AuditSource auditSource(String type) {
    return lookup(Family.AUDIT, type, AuditSource.class);
  }

  /** The inventory reader refuses unknown types; this fires only for settings that bypassed it. */
  private <T> T lookup(Family family, String type, Class<T> contract) {
    Plugin found = byFamily.get(family).get(type);
    if (found == null) {
      throw FailureType.UNKNOWN_STEP_TYPE.failure("unknown " + family.noun() + " '" + type + "'; known: "
          + types(family));
    }
    return contract.cast(found);
  }
}
