package ai.thinkheads.phoenix.certs.activities.audit;

import ai.thinkheads.phoenix.certs.workflows.audit.AuditFacts;
import ai.thinkheads.phoenix.certs.workflows.audit.CertificateFact;
import ai.thinkheads.phoenix.certs.workflows.audit.Check;
import ai.thinkheads.phoenix.certs.workflows.audit.TrustStoreFact;
import ai.thinkheads.phoenix.certs.workflows.audit.Unreachable;
import java.util.ArrayList;
import java.util.List;

/** Collects what the sources of one task measured. */
public final class FactSink {

  private final List<CertificateFact> certificates = new ArrayList<>();
  private final List<TrustStoreFact> stores = new ArrayList<>();
  private final List<Check> checks = new ArrayList<>();
  private final List<Unreachable> unreachable = new ArrayList<>();

  public void add(CertificateFact fact) {
    certificates.add(fact);
  }

  public void add(TrustStoreFact fact) {
    stores.add(fact);
  }

  public void add(Check check) {
    checks.add(check);
  }

  public void add(Unreachable failure) {
    unreachable.add(failure);
  }

  /** What this task measured so far (a later source may refer to it, as ports does to managed certificates). */
  public List<CertificateFact> certificates() {
    return List.copyOf(certificates);
  }

  public AuditFacts build(String task) {
    return new AuditFacts(task, certificates, stores, checks, unreachable);
  }
}
