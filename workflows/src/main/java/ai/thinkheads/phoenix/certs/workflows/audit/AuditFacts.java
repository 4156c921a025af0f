package ai.thinkheads.phoenix.certs.workflows.audit;

import java.util.ArrayList;
import java.util.List;

/** What one audit task (a guest, or a source run from the worker) measured. */
public record AuditFacts(String task, List<CertificateFact> certificates, List<TrustStoreFact> trustStores,
    List<Check> checks, List<Unreachable> unreachable) {

  public AuditFacts {
    certificates = certificates == null ? List.of() : List.copyOf(certificates);
    trustStores = trustStores == null ? List.of() : List.copyOf(trustStores);
    checks = checks == null ? List.of() : List.copyOf(checks);
    unreachable = unreachable == null ? List.of() : List.copyOf(unreachable);
  }

  /** All the tasks' facts in one, in the order given. */
  public static AuditFacts merge(String task, List<AuditFacts> parts) {
    List<CertificateFact> certificates = new ArrayList<>();
    List<TrustStoreFact> stores = new ArrayList<>();
    List<Check> checks = new ArrayList<>();
    List<Unreachable> unreachable = new ArrayList<>();
    for (AuditFacts part : parts) {
      certificates.addAll(part.certificates());
      stores.addAll(part.trustStores());
      checks.addAll(part.checks());
      unreachable.addAll(part.unreachable());
    }
    return new AuditFacts(task, certificates, stores, checks, unreachable);
  }
}
