package ai.thinkheads.phoenix.certs.activities.plugin;

import ai.thinkheads.phoenix.certs.activities.audit.AuditSource;
import ai.thinkheads.phoenix.certs.activities.issuer.IssuerPlugin;
import ai.thinkheads.phoenix.certs.activities.steps.Reloader;
import ai.thinkheads.phoenix.certs.activities.steps.Validator;
import ai.thinkheads.phoenix.certs.activities.steps.Verifier;
import ai.thinkheads.phoenix.certs.activities.transport.TransportFactory;
import java.util.Arrays;

/**
 * The families of plugins, each answering to an inventory {@code type}: the CA ({@code ca.type}), how a guest is
 * reached ({@code transport}), and a certificate's validate, reload and verify steps. A plugin belongs to every
 * family whose interface it implements ({@code command} is a validate and a reload step).
 */
public enum Family {
  ISSUER("issuer", "CA type", IssuerPlugin.class),
  TRANSPORT("transport", "transport", TransportFactory.class),
  VALIDATE("validate", "validate type", Validator.class),
  RELOAD("reload", "reload type", Reloader.class),
  VERIFY("verify", "verify type", Verifier.class),
  /** Where the estate audit reads facts ({@code audit.sources[].type}). */
  AUDIT("audit", "audit source type", AuditSource.class);

  private final String id;
  private final String noun;
  private final Class<? extends Plugin> contract;

  Family(String id, String noun, Class<? extends Plugin> contract) {
    this.id = id;
    this.noun = noun;
    this.contract = contract;
  }

  /** "issuer", "transport", "validate", "reload", "verify": as the inventory's keys name the steps. */
  public String id() {
    return id;
  }

  /** How messages name the {@code type} of this family: "unknown CA type 'vault'", "unknown reload type 'x'". */
  public String noun() {
    return noun;
  }

  public Class<? extends Plugin> contract() {
    return contract;
  }

  public static Family of(String id) {
    return Arrays.stream(values()).filter(f -> f.id.equals(id)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no plugin family " + id));
  }
}
