package ai.thinkheads.phoenix.certs.activities.audit;

import ai.thinkheads.phoenix.certs.activities.plugin.Option;
import ai.thinkheads.phoenix.certs.activities.plugin.Settings;
import ai.thinkheads.phoenix.certs.activities.transport.Transport;
import ai.thinkheads.phoenix.certs.workflows.audit.CertificateKind;
import ai.thinkheads.phoenix.certs.workflows.model.CertificateSpec;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/**
 * Certificate files under a directory ({@code type: files, path: /etc/nginx/ssl}, on the guest {@code guest}
 * names, or on every guest): each one no inventory entry manages is reported with its facts (left on disk by the
 * old setup scripts, or by hand). Managed pairs, their backups and staged copies, and the trust stores' own roots
 * are left out. Files holding keys are parsed for certificates only.
 */
public final class FilesSource implements AuditSource {

  public static final String TYPE = "files";

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public List<Option> options() {
    return List.of(Option.path("path").required("/etc/nginx/ssl"), Option.text("guest"));
  }

  @Override
  public boolean perGuest() {
    return true;
  }

  @Override
  public void gather(Settings settings, AuditScope scope, FactSink facts) throws Exception {
    Transport transport = scope.transport();
    List<String> managed = new ArrayList<>();
    for (CertificateSpec spec : scope.estate().certificates()) {
      if (spec.target() != null && scope.guest().id().equals(spec.target().guestId())) {
        managed.add(spec.files().cert());
        if (spec.files().ca() != null) {
          managed.add(spec.files().ca());
        }
      }
    }
    for (String file : GuestFiles.under(transport, settings.get("path"))) {
      if (managed.stream().anyMatch(file::startsWith) || file.endsWith("/phoenix_ca.crt")) {
        continue;
      }
      List<X509Certificate> chain = transport.read(file).map(Measure::certificates).orElse(List.of());
      if (chain.isEmpty()) {
        continue;
      }
      facts.add(Measure.of(CertificateKind.FILE, scope.guest().id(), file, file, chain.get(0), chain,
          scope.pinnedRoot()));
    }
  }
}
