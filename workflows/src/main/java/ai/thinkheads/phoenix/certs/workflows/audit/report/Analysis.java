package ai.thinkheads.phoenix.certs.workflows.audit.report;

import ai.thinkheads.phoenix.certs.workflows.audit.AuditReport;
import ai.thinkheads.phoenix.certs.workflows.audit.CertificateFact;
import ai.thinkheads.phoenix.certs.workflows.audit.CertificateKind;
import ai.thinkheads.phoenix.certs.workflows.audit.ChainStatus;
import ai.thinkheads.phoenix.certs.workflows.audit.Finding;
import ai.thinkheads.phoenix.certs.workflows.audit.TrustStoreFact;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The report's strengths and recommendations, each computed from the facts and findings (none hand-written). */
final class Analysis {

  private static final Map<String, String> ADVICE = Map.ofEntries(
      Map.entry("expired", "Replace the expired certificates now; list the ones that matter in the inventory so "
          + "phoenix-certs renews them."),
      Map.entry("renewal-due", "Bring the certificates nobody renews under phoenix-certs (a `certificates:` entry), "
          + "or start their renewal workflows again (`phoenix-certs status`)."),
      Map.entry("untrusted-chain", "Reissue self-signed or foreign certificates from the internal CA, and serve "
          + "the intermediate with every leaf."),
      Map.entry("san-mismatch", "Reissue the certificates whose names differ from the inventory "
          + "(`phoenix-certs renew <name> --force`)."),
      Map.entry("key-mismatch", "Renew the pairs whose key does not match (`phoenix-certs renew <name> --force`)."),
      Map.entry("weak-crypto", "Reissue weak certificates with ECDSA P-256 or RSA 2048+ and SHA-256 signatures."),
      Map.entry("root-missing", "Onboard the guests whose trust store lacks the root (`phoenix-certs onboard <guest>`); "
          + "the audit and the worker's start do it for listed guests."),
      Map.entry("ca-expiring", "Plan the CA's root or intermediate rotation well before it expires."),
      Map.entry("served-differs", "Reload the services that still serve an old certificate."),
      Map.entry("unreachable", "Fix access to the components the audit could not read (network, ssh keys, the "
          + "inventory's addresses)."),
      Map.entry("check-failed", "Fix the CA checks that failed (health, pinned root)."),
      Map.entry("unmanaged", "Remove certificate files nobody uses, or list them in the inventory."),
      Map.entry("other-roots", "Remove private roots the estate no longer uses from the trust stores."));

  private Analysis() {}

  static List<String> strengths(AuditReport r) {
    List<String> out = new ArrayList<>();
    List<CertificateFact> certs = r.facts().certificates();
    List<CertificateFact> managed = certs.stream().filter(c -> c.kind() == CertificateKind.MANAGED).toList();
    Set<String> failing = new LinkedHashSet<>();
    r.findings().forEach(f -> failing.add(f.component() + "|" + f.subject()));
    long clean = managed.stream().filter(c -> !failing.contains(c.component() + "|" + c.name())).count();
    if (!managed.isEmpty()) {
      out.add("**Managed certificates:** " + clean + " of " + managed.size() + " managed certificates are deployed "
          + "as the inventory says, chain to the pinned root and are being renewed.");
    }
    long pinned = certs.stream().filter(c -> c.chain() == ChainStatus.PINNED_ROOT).count();
    if (pinned > 0) {
      out.add("**Single root of trust:** " + pinned + " of " + certs.size() + " certificates found chain to the pinned "
          + "root.");
    }
    List<TrustStoreFact> listed = r.facts().trustStores().stream().filter(TrustStoreFact::listed).toList();
    long holding = listed.stream().filter(TrustStoreFact::holdsRoot).count();
    if (!listed.isEmpty() && holding == listed.size()) {
      out.add("**Root distribution:** every listed trust store (" + holding + ") holds the pinned root.");
    }
    if (r.facts().unreachable().isEmpty()) {
      out.add("**Reachability:** every listed component answered the audit.");
    }
    return out;
  }

  static List<String> recommendations(AuditReport r) {
    Set<String> codes = new LinkedHashSet<>();
    r.findings().stream().map(Finding::code).forEach(codes::add);
    return codes.stream().filter(ADVICE::containsKey).map(ADVICE::get).toList();
  }
}
