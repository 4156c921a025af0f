package ai.thinkheads.phoenix.certs.activities.audit;

import ai.thinkheads.phoenix.certs.activities.plugin.Option;
import ai.thinkheads.phoenix.certs.activities.plugin.Settings;
import ai.thinkheads.phoenix.certs.workflows.audit.CertificateFact;
import ai.thinkheads.phoenix.certs.workflows.audit.CertificateKind;
import ai.thinkheads.phoenix.certs.workflows.audit.Check;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Traefik's {@code acme.json} on a guest ({@code type: acme-json, guest: traefik-internal, path:
 * /etc/traefik/acme.json}): each certificate's domains, issuer, expiry, chain, and the resolver that renews it. The
 * file holds private keys: it is read and parsed inside this activity, and only public facts leave it.
 */
public final class AcmeJsonSource implements AuditSource {

  public static final String TYPE = "acme-json";

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public List<Option> options() {
    return List.of(Option.text("guest").required("traefik-internal"),
        Option.path("path").orElse("/etc/traefik/acme.json"));
  }

  @Override
  public boolean perGuest() {
    return true;
  }

  @Override
  public void gather(Settings settings, AuditScope scope, FactSink facts) throws Exception {
    String path = settings.get("path") == null ? "/etc/traefik/acme.json" : settings.get("path");
    Optional<byte[]> content = scope.transport().read(path);
    if (content.isEmpty()) {
      facts.add(new Check(scope.guest().id(), "Traefik acme.json at " + path, false, "no such file"));
      return;
    }
    for (AcmeJson.Entry entry : AcmeJson.parse(content.get())) {
      List<String> asked = new ArrayList<>();
      if (entry.main() != null) {
        asked.add(entry.main());
      }
      asked.addAll(entry.sans());
      String name = entry.main() != null ? entry.main() : entry.chain().get(0).getSubjectX500Principal().getName();
      CertificateFact fact = Measure.of(CertificateKind.ACME, scope.guest().id(), name, path + " resolver "
          + entry.resolver(), entry.chain().get(0), entry.chain(), scope.pinnedRoot())
          .withKeyMatches(entry.keyMatches()).managed("traefik resolver " + entry.resolver(), null, null);
      facts.add(asked.isEmpty() ? fact : fact.withExpectedSans(asked));
    }
  }
}
