package ai.thinkheads.phoenix.certs.activities.issuer;

import ai.thinkheads.phoenix.certs.activities.plugin.Option;
import ai.thinkheads.phoenix.certs.activities.plugin.Settings;
import java.util.List;

/**
 * {@code ca: {type: local}}: the embedded CA, for development and the demo. Options: {@code name} of the CA
 * ("phoenix-certs"), {@code dataDir} holding its keys and issued.log (./var/ca, relative to where the worker
 * starts).
 */
public final class LocalCaPlugin implements IssuerPlugin {

  @Override
  public String type() {
    return LocalCaIssuer.TYPE;
  }

  @Override
  public List<Option> options() {
    return List.of(Option.text("name").orElse("phoenix-certs"), Option.path("dataDir").orElse("./var/ca"));
  }

  @Override
  public Issuer create(Settings settings, IssuerContext context) {
    return new LocalCaIssuer(settings.path("dataDir").toAbsolutePath().normalize(), settings.get("name"));
  }
}
